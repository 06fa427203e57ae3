"""Every stack × category cell of docs/detection.md: a few lines of a real idiom, written for
the test, that the packaged rules find significant, and hard negatives they must not.

A fixture is one file's hunk: lines starting with ' ' (context), '+' or '-'; an added file has
only '+' lines. The fixture id is what docs/detection.md cites in each cell.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from sdd.detect.diff import parse
from sdd.detect.engine import detect
from sdd.detect.rulepack import RulePack, load_rule_pack
from tests.support import git


@dataclass(frozen=True)
class Fixture:
    id: str
    path: str
    lines: tuple[str, ...]
    category: str | None = None  # None: a hard negative, nothing significant
    new_file: bool = False
    deleted_file: bool = False


def _diff(fixtures: tuple[Fixture, ...]) -> bytes:
    parts = []
    for fixture in fixtures:
        old = sum(1 for line in fixture.lines if line[:1] in (" ", "-"))
        new = sum(1 for line in fixture.lines if line[:1] in (" ", "+"))
        source = "/dev/null" if fixture.new_file else f"a/{fixture.path}"
        target = "/dev/null" if fixture.deleted_file else f"b/{fixture.path}"
        header = f"diff --git a/{fixture.path} b/{fixture.path}\n"
        if fixture.new_file:
            header += "new file mode 100644\n"
        if fixture.deleted_file:
            header += "deleted file mode 100644\n"
        header += f"--- {source}\n+++ {target}\n"
        start = 0 if fixture.new_file else 1
        heading = " databases:" if fixture.path.startswith(".do/") else ""
        header += f"@@ -{start},{old} +{0 if fixture.deleted_file else 1},{new} @@{heading}\n"
        parts.append(header + "\n".join(fixture.lines) + "\n")
    return "".join(parts).encode()


def F(
    id: str, category: str | None, path: str, *lines: str, new: bool = False, gone: bool = False
) -> Fixture:
    return Fixture(id, path, lines, category, new, gone)


POSITIVE = (
    # ---------------------------------------------------------------- python
    F(
        "python-auth",
        "auth",
        "config/settings.py",
        ' INSTALLED_APPS = ["accounts"]',
        "+AUTHENTICATION_BACKENDS = [",
        '+    "django.contrib.auth.backends.ModelBackend",',
        '+    "allauth.account.auth_backends.AuthenticationBackend",',
        "+]",
    ),
    F(
        "python-database",
        "database",
        "backend/app/alembic/versions/1a31ce608336_add_created_at.py",
        "+def upgrade():",
        '+    op.add_column("item", sa.Column("created_at", sa.DateTime(), nullable=True))',
        new=True,
    ),
    F(
        "python-api",
        "api-versioning",
        "backend/app/core/config.py",
        " class Settings(BaseSettings):",
        '-    API_V1_STR: str = "/api/v1"',
        '+    API_V1_STR: str = "/api/v2"',
    ),
    F(
        "python-middleware",
        "middleware",
        "backend/app/main.py",
        " app = FastAPI(title=settings.PROJECT_NAME)",
        "+app.add_middleware(GZipMiddleware, minimum_size=1000)",
    ),
    F(
        "python-dependencies",
        "dependencies",
        "pyproject.toml",
        " dependencies = [",
        '     "fastapi>=0.110",',
        '+    "sqlalchemy>=2.0,<3",',
        " ]",
    ),
    F(
        "python-lockfile",
        "dependencies",
        "poetry.lock",
        " [[package]]",
        ' name = "django"',
        '-version = "4.2.11"',
        '+version = "5.0.3"',
        ' description = "A high-level Python web framework"',
    ),
    # ---------------------------------------------------------------- node
    F(
        "node-auth",
        "auth",
        "src/config/passport.js",
        " const jwtOptions = { secretOrKey: config.jwt.secret };",
        "+passport.use('jwt', new JwtStrategy(jwtOptions, jwtVerify));",
    ),
    F(
        "node-database",
        "database",
        "prisma/migrations/20240105_orders/migration.sql",
        '+CREATE TABLE "Order" (',
        '+    "id" SERIAL NOT NULL,',
        '+    "userId" INTEGER NOT NULL',
        "+);",
        new=True,
    ),
    F(
        "node-api",
        "api-versioning",
        "src/main.ts",
        "   const app = await NestFactory.create(AppModule);",
        "+  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });",
    ),
    F(
        "node-middleware",
        "middleware",
        "src/main.ts",
        " async function bootstrap() {",
        "-  const app = await NestFactory.create(AppModule);",
        "+  const app = await NestFactory.create(AppModule, { cors: true });",
    ),
    F(
        "node-dependencies",
        "dependencies",
        "package.json",
        '   "dependencies": {',
        '     "express": "^4.19.2",',
        '+    "mongoose": "^8.2.0",',
        '     "helmet": "^7.1.0"',
    ),
    F(
        "node-lockfile",
        "dependencies",
        "package-lock.json",
        '     "node_modules/express": {',
        '-      "version": "4.21.2",',
        '+      "version": "5.0.1",',
        '       "license": "MIT",',
    ),
    # ---------------------------------------------------------------- go
    F(
        "go-auth",
        "auth",
        "internal/auth/token.go",
        " func Issue(userID int64, secret []byte) (string, error) {",
        "+\ttoken := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)",
        "+\treturn token.SignedString(secret)",
    ),
    F(
        "go-database",
        "database",
        "migrations/000002_create_orders.up.sql",
        "+CREATE TABLE orders (",
        "+    id BIGSERIAL PRIMARY KEY,",
        "+    user_id BIGINT NOT NULL REFERENCES users(id)",
        "+);",
        new=True,
    ),
    F(
        "go-api",
        "api-versioning",
        "server/router.go",
        " func Register(e *echo.Echo) {",
        '+\tv2 := e.Group("/api/v2")',
        '+\tv2.GET("/memos", listMemos)',
    ),
    F(
        "go-middleware",
        "middleware",
        "server/server.go",
        " e := echo.New()",
        "+e.Use(middleware.RateLimiter(middleware.NewRateLimiterMemoryStore(20)))",
    ),
    F(
        "go-dependencies",
        "dependencies",
        "go.mod",
        " require (",
        " \tgithub.com/labstack/echo/v4 v4.11.4",
        "+\tgorm.io/gorm v1.25.7",
        " )",
    ),
    # ---------------------------------------------------------------- java / kotlin
    F(
        "java-auth",
        "auth",
        "src/main/java/com/acme/config/SecurityConfig.java",
        " @Configuration",
        "+@EnableWebSecurity",
        " public class SecurityConfig {",
        "+    @Bean",
        "+    SecurityFilterChain filterChain(HttpSecurity http) throws Exception {",
    ),
    F(
        "java-database",
        "database",
        "src/main/resources/db/migration/V1__create_tables.sql",
        " CREATE TABLE customer (id BIGINT PRIMARY KEY);",
        "+ALTER TABLE customer ADD COLUMN email VARCHAR(255) NOT NULL;",
    ),
    F(
        "java-api",
        "api-versioning",
        "src/main/java/com/acme/web/OrderController.java",
        " @RestController",
        '-@RequestMapping("/api/v1/orders")',
        '+@RequestMapping("/api/v2/orders")',
    ),
    F(
        "java-middleware",
        "middleware",
        "src/main/kotlin/com/acme/plugins/HTTP.kt",
        " fun Application.configureHTTP() {",
        "+    install(CORS) {",
        "+        anyHost()",
        "+    }",
    ),
    F(
        "java-dependencies",
        "dependencies",
        "gradle/libs.versions.toml",
        " [libraries]",
        '+ktor-server-core = { module = "io.ktor:ktor-server-core", version.ref = "ktor" }',
        '+exposed = { module = "org.jetbrains.exposed:exposed-core", version.ref = "exposed" }',
    ),
    # ---------------------------------------------------------------- dotnet
    F(
        "dotnet-auth",
        "auth",
        "src/Api/Program.cs",
        " var builder = WebApplication.CreateBuilder(args);",
        "+builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)",
        '+    .AddJwtBearer(options => builder.Configuration.Bind("JwtSettings", options));',
    ),
    F(
        "dotnet-database",
        "database",
        "src/Infrastructure/Data/Migrations/20240105_AddOrders.cs",
        "+        protected override void Up(MigrationBuilder migrationBuilder)",
        "+        {",
        "+            migrationBuilder.CreateTable(",
        '+                name: "Orders",',
        new=True,
    ),
    F(
        "dotnet-api",
        "api-versioning",
        "src/Api/Program.cs",
        " builder.Services.AddControllers();",
        "+builder.Services.AddApiVersioning(o => o.DefaultApiVersion = new ApiVersion(2, 0));",
    ),
    F(
        "dotnet-middleware",
        "middleware",
        "src/Api/Program.cs",
        " var app = builder.Build();",
        "+app.UseMiddleware<ExceptionMiddleware>();",
    ),
    F(
        "dotnet-dependencies",
        "dependencies",
        "src/Infrastructure/Infrastructure.csproj",
        "   <ItemGroup>",
        '-    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="7.0.14" />',
        '+    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="8.0.1" />',
        "   </ItemGroup>",
    ),
    # ---------------------------------------------------------------- ruby
    F(
        "ruby-auth",
        "auth",
        "app/models/user.rb",
        " class User < ApplicationRecord",
        "+  devise :database_authenticatable, :registerable, :recoverable",
    ),
    F(
        "ruby-database",
        "database",
        "db/migrate/20240105120000_add_status_to_orders.rb",
        "+class AddStatusToOrders < ActiveRecord::Migration[7.1]",
        "+  def change",
        '+    add_column :orders, :status, :string, null: false, default: "pending"',
        new=True,
    ),
    F(
        "ruby-api",
        "api-versioning",
        "config/routes.rb",
        " Rails.application.routes.draw do",
        "+  namespace :v2 do",
        "+    resources :orders, only: %i[index show]",
    ),
    F(
        "ruby-middleware",
        "middleware",
        "config/application.rb",
        "   class Application < Rails::Application",
        "+    config.middleware.insert_before 0, Rack::Cors do",
    ),
    F(
        "ruby-dependencies",
        "dependencies",
        "Gemfile.lock",
        "   specs:",
        "-    rails (7.2.1)",
        "+    rails (8.0.0)",
        "       actioncable (= 8.0.0)",
    ),
    # ---------------------------------------------------------------- php
    F(
        "php-auth",
        "auth",
        "config/auth.php",
        "     'guards' => [",
        "         'api' => [",
        "-            'driver' => 'token',",
        "+            'driver' => 'sanctum',",
    ),
    F(
        "php-database",
        "database",
        "database/migrations/2024_01_05_000000_create_orders_table.php",
        "+    public function up(): void",
        "+    {",
        "+        Schema::create('orders', function (Blueprint $table) {",
        new=True,
    ),
    F(
        "php-api",
        "api-versioning",
        "src/Controller/OrderController.php",
        " final class OrderController extends AbstractController",
        "-    #[Route('/api/v1/orders', methods: ['GET'])]",
        "+    #[Route('/api/v2/orders', methods: ['GET'])]",
    ),
    F(
        "php-middleware",
        "middleware",
        "bootstrap/app.php",
        "     ->withRouting(web: __DIR__.'/../routes/web.php')",
        "+    ->withMiddleware(function (Middleware $middleware) {",
        "+        $middleware->append(EnsureTokenIsValid::class);",
    ),
    F(
        "php-dependencies",
        "dependencies",
        "composer.json",
        '     "require": {',
        '         "php": "^8.2",',
        '+        "laravel/sanctum": "^4.0",',
        '         "laravel/framework": "^11.0"',
    ),
    # ---------------------------------------------------------------- rust
    F(
        "rust-auth",
        "auth",
        "src/guards.rs",
        " #[rocket::async_trait]",
        "+impl<'r> FromRequest<'r> for ApiKey<'r> {",
        "+    type Error = ApiKeyError;",
        "+            None => Outcome::Error((Status::Unauthorized, ApiKeyError::Missing)),",
    ),
    F(
        "rust-database",
        "database",
        "migrations/2024-01-05-000000_create_posts/up.sql",
        "+CREATE TABLE posts (",
        "+  id SERIAL PRIMARY KEY,",
        "+  title VARCHAR NOT NULL",
        "+);",
        new=True,
    ),
    F(
        "rust-api",
        "api-versioning",
        "src/app.rs",
        " pub fn app(state: AppState) -> Router {",
        '-    Router::new().nest("/api/v1", api::routes())',
        '+    Router::new().nest("/api/v2", api::routes())',
    ),
    F(
        "rust-middleware",
        "middleware",
        "src/startup.rs",
        "     HttpServer::new(move || {",
        "         App::new()",
        "+            .wrap(Cors::permissive())",
    ),
    F(
        "rust-dependencies",
        "dependencies",
        "Cargo.lock",
        " [[package]]",
        ' name = "axum"',
        '-version = "0.6.20"',
        '+version = "0.7.4"',
        ' source = "registry+https://github.com/rust-lang/crates.io-index"',
    ),
    # ---------------------------------------------------------------- elixir
    F(
        "elixir-auth",
        "auth",
        "lib/app_web/auth/guardian.ex",
        "+defmodule AppWeb.Auth.Guardian do",
        "+  use Guardian, otp_app: :app",
        new=True,
    ),
    F(
        "elixir-database",
        "database",
        "priv/repo/migrations/20240105120000_create_orders.exs",
        "+  def change do",
        "+    create table(:orders) do",
        "+      add :status, :string, null: false",
        new=True,
    ),
    F(
        "elixir-api",
        "api-versioning",
        "lib/app_web/router.ex",
        "   pipe_through :api",
        '-  scope "/api/v1", AppWeb do',
        '+  scope "/api/v2", AppWeb do',
    ),
    F(
        "elixir-middleware",
        "middleware",
        "lib/app_web/endpoint.ex",
        "   plug Plug.RequestId",
        '+  plug Corsica, origins: "*", allow_credentials: true',
    ),
    F(
        "elixir-dependencies",
        "dependencies",
        "mix.exs",
        "   defp deps do",
        "     [",
        '+      {:ecto_sql, "~> 3.11"},',
        '+      {:postgrex, ">= 0.0.0"},',
    ),
)

POSITIVE += (
    F(
        "platform-database",
        "database",
        ".do/app.yaml",
        "   num_nodes: 1",
        '-  version: "12"',
        '+  version: "16"',
    ),
)
NEGATIVE = (
    F(
        "dotnet-migrations-deleted",
        None,
        "src/Web/Data/Migrations/20190115_InitialIdentity.cs",
        "-public partial class InitialIdentity : Migration",
        "-{",
        "-    protected override void Up(MigrationBuilder migrationBuilder)",
        "-    {",
        '-        migrationBuilder.CreateTable(name: "AspNetRoles", columns: table => new',
        "-            Id = table.Column<string>(nullable: false),",
        "-    }",
        "-}",
        gone=True,
    ),
    F(
        "ruby-seed-migration",
        None,
        "db/migrate/20240301_seed_plans.rb",
        "+class SeedPlans < ActiveRecord::Migration[7.1]",
        "+  def up",
        '+    Plan.create!(name: "free", seats: 1)',
        "+  end",
        "+end",
        new=True,
    ),
    F(
        "python-redis-broker-url",
        None,
        "app/core/config.py",
        " class Settings(BaseSettings):",
        '+    REDIS_URL: str = "redis://redis:6379/0"',
    ),
    F(
        "go-middleware-arguments",
        None,
        "server/server.go",
        " e := echo.New()",
        '-e.Use(middleware.BodyLimit("2M"))',
        '+e.Use(middleware.BodyLimit("4M"))',
    ),
    F(
        "go-duplicate-check-folded",
        None,
        "server/router/mcp/auth_middleware.go",
        '-\t\t\treturn c.JSON(http.StatusUnauthorized, map[string]string{"message": "invalid"})',
        "-\t\t}",
        "+\t\t\tuser, err := authenticator.Authenticate(ctx, token)",
        "+\t\tif err != nil || user == nil {",
        '  \t\t\treturn c.JSON(http.StatusUnauthorized, map[string]string{"message": "invalid"})',
    ),
    F(
        "platform-service-version",
        None,
        ".do/app.yaml",
        " services:",
        " - name: web",
        '-  version: "1"',
        '+  version: "2"',
    ),
    F(
        "python-comment-jwt",
        None,
        "backend/app/main.py",
        " app = FastAPI()",
        "+# TODO: jwt tokens are verified by the gateway, not here",
    ),
    F(
        "python-dev-tool",
        None,
        "pyproject.toml",
        " [dependency-groups]",
        " dev = [",
        '-    "pytest>=7.4",',
        '+    "pytest>=8.1",',
    ),
    F(
        "python-minor-bump",
        None,
        "poetry.lock",
        ' name = "fastapi"',
        '-version = "0.110.0"',
        '+version = "0.110.1"',
    ),
    F(
        "node-comment-jwt",
        None,
        "src/app.js",
        " const app = express();",
        "+// jwt verification happens in the API gateway; see docs",
    ),
    F(
        "node-dev-tool",
        None,
        "package.json",
        '   "devDependencies": {',
        '-    "jest": "^28.1.3",',
        '+    "jest": "^29.7.0",',
    ),
    F(
        "node-test-jwt",
        None,
        "src/auth/auth.service.spec.ts",
        "+    expect(jwt.verify(token, secret)).toBeTruthy();",
    ),
    F(
        "go-comment-jwt",
        None,
        "server/server.go",
        " func NewServer() *Server {",
        "+\t// jwt parsing lives in the auth package",
    ),
    F(
        "go-dev-tool",
        None,
        "go.mod",
        " require (",
        "-\tgithub.com/stretchr/testify v1.8.4",
        "+\tgithub.com/stretchr/testify v1.9.0",
        " )",
    ),
    F(
        "java-test-dependency",
        None,
        "build.gradle.kts",
        " dependencies {",
        '-    testImplementation("org.junit.jupiter:junit-jupiter:5.10.0")',
        '+    testImplementation("org.junit.jupiter:junit-jupiter:6.0.0")',
    ),
    F(
        "dotnet-test-project",
        None,
        "tests/UnitTests/UnitTests.csproj",
        "   <ItemGroup>",
        '-    <PackageReference Include="xunit" Version="2.6.0" />',
        '+    <PackageReference Include="xunit" Version="3.0.0" />',
    ),
    F(
        "ruby-test-group",
        None,
        "Gemfile",
        " group :development, :test do",
        '-  gem "rspec-rails", "~> 6.1"',
        '+  gem "rspec-rails", "~> 7.0"',
        " end",
    ),
    F(
        "php-dev-tool",
        None,
        "composer.json",
        '     "require-dev": {',
        '-        "phpunit/phpunit": "^10.5",',
        '+        "phpunit/phpunit": "^11.0",',
    ),
    F(
        "rust-dev-dependency",
        None,
        "Cargo.toml",
        " [dev-dependencies]",
        '-proptest = "1.3"',
        '+proptest = "2.0"',
    ),
    F(
        "elixir-dev-tool",
        None,
        "mix.exs",
        "     [",
        '-      {:credo, "~> 1.6", only: [:dev, :test], runtime: false},',
        '+      {:credo, "~> 1.7", only: [:dev, :test], runtime: false},',
    ),
    F(
        "changelog-entry",
        None,
        "CHANGELOG.md",
        " ## 2.0.0",
        "+- Switched authentication to JWT and added the /api/v2 prefix",
    ),
    F(
        "lockfile-transitive-major",
        None,
        "package-lock.json",
        '     "node_modules/string-width": {',
        '-      "version": "4.2.3",',
        '+      "version": "5.1.2",',
    ),
)

# One more fixture per framework idiom the issue names (the cell above proves the category).
POSITIVE += (
    # python
    F(
        "python-auth-flask-jwt",
        "auth",
        "app/__init__.py",
        " app = Flask(__name__)",
        "+jwt = JWTManager(app)",
        '+app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]',
    ),
    F(
        "python-auth-drf-permission",
        "auth",
        "api/views.py",
        " class OrderViewSet(viewsets.ModelViewSet):",
        "+    permission_classes = [IsAuthenticated]",
        "+    authentication_classes = [TokenAuthentication]",
    ),
    F(
        "python-database-django-migration",
        "database",
        "shop/migrations/0007_order_status.py",
        "+class Migration(migrations.Migration):",
        '+    dependencies = [("shop", "0006_order")]',
        "+    operations = [",
        '+        migrations.AddField(model_name="order", name="status",',
        "+                            field=models.CharField(max_length=20)),",
        "+    ]",
        new=True,
    ),
    F(
        "python-database-sqlalchemy-model",
        "database",
        "app/models.py",
        " class Order(Base):",
        '     __tablename__ = "orders"',
        "+    status: Mapped[str] = mapped_column(String(20), index=True)",
    ),
    F(
        "python-api-flask-blueprint",
        "api-versioning",
        "app/api/__init__.py",
        '-api = Blueprint("api", __name__, url_prefix="/api/v1")',
        '+api = Blueprint("api", __name__, url_prefix="/api/v2")',
    ),
    F(
        "python-middleware-django",
        "middleware",
        "config/settings/base.py",
        " MIDDLEWARE = [",
        '     "django.middleware.security.SecurityMiddleware",',
        '+    "corsheaders.middleware.CorsMiddleware",',
    ),
    F(
        "python-dependencies-requirements-major",
        "dependencies",
        "requirements.txt",
        "-Django==4.2.11",
        "+Django==5.0.3",
    ),
    F(
        "python-lockfile-uv",
        "dependencies",
        "uv.lock",
        " [[package]]",
        ' name = "sqlalchemy"',
        '-version = "1.4.52"',
        '+version = "2.0.29"',
    ),
    # node
    F(
        "node-auth-nest-guard",
        "auth",
        "src/orders/orders.controller.ts",
        " @Controller('orders')",
        "+@UseGuards(AuthGuard('jwt'), RolesGuard)",
        " export class OrdersController {",
    ),
    F(
        "node-auth-next-middleware",
        "auth",
        "src/auth.ts",
        "+export const { handlers, auth, signIn, signOut } = NextAuth({",
        "+  providers: [GitHub],",
        "+});",
        new=True,
    ),
    F(
        "node-database-typeorm-migration",
        "database",
        "src/migrations/1712000000000-AddOrderStatus.ts",
        "+export class AddOrderStatus1712000000000 implements MigrationInterface {",
        "+  public async up(queryRunner: QueryRunner): Promise<void> {",
        '+    await queryRunner.addColumn("order", new TableColumn({ name: "status" }));',
        "+  }",
        new=True,
    ),
    F(
        "node-database-sequelize-migration",
        "database",
        "migrations/20240105-add-status.js",
        "+module.exports = {",
        "+  async up(queryInterface, Sequelize) {",
        "+    await queryInterface.addColumn('Orders', 'status', { type: Sequelize.STRING });",
        "+  },",
        new=True,
    ),
    F(
        "node-database-knex-migration",
        "database",
        "db/migrations/20240105_orders.js",
        "+exports.up = (knex) =>",
        "+  knex.schema.createTable('orders', (table) => {",
        "+    table.increments('id');",
        "+  });",
        new=True,
    ),
    F(
        "node-database-drizzle-schema",
        "database",
        "src/db/schema.ts",
        " import { pgTable, serial, text } from 'drizzle-orm/pg-core';",
        "+export const orders = pgTable('orders', {",
        "+  id: serial('id').primaryKey(),",
        "+  status: text('status').notNull(),",
        "+});",
    ),
    F(
        "node-database-prisma-model",
        "database",
        "prisma/schema.prisma",
        "+model Order {",
        "+  id     Int    @id @default(autoincrement())",
        "+  status String",
        "+}",
    ),
    F(
        "node-api-nest-versioning",
        "api-versioning",
        "src/main.ts",
        " const app = await NestFactory.create(AppModule);",
        "+app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });",
    ),
    F(
        "node-middleware-nest-cors",
        "middleware",
        "src/main.ts",
        "-  const app = await NestFactory.create(AppModule);",
        "+  const app = await NestFactory.create(AppModule, { cors: true });",
    ),
    F(
        "node-middleware-helmet",
        "middleware",
        "src/main.ts",
        " const app = await NestFactory.create(AppModule);",
        "+app.use(helmet());",
    ),
    F(
        "node-middleware-fastify-register",
        "middleware",
        "src/server.ts",
        " const app = Fastify({ logger: true });",
        "+await app.register(cors, { origin: ['https://shop.example.com'] });",
    ),
    F(
        "node-middleware-next",
        "middleware",
        "src/middleware.ts",
        "+export function middleware(request: NextRequest) {",
        "+  return NextResponse.redirect(new URL('/login', request.url));",
        "+}",
        "+export const config = { matcher: ['/dashboard/:path*'] };",
        new=True,
    ),
    F(
        "node-lockfile-pnpm",
        "dependencies",
        "pnpm-lock.yaml",
        " packages:",
        "-  /express@4.19.2:",
        "+  /express@5.0.0:",
    ),
    F(
        "node-lockfile-yarn",
        "dependencies",
        "yarn.lock",
        " mongoose@^7.6.0:",
        '-  version "7.6.8"',
        '+  version "8.1.0"',
    ),
    # go
    F(
        "go-auth-chi-jwtauth",
        "auth",
        "internal/server/routes.go",
        " r := chi.NewRouter()",
        "+r.Use(jwtauth.Verifier(tokenAuth))",
        "+r.Use(jwtauth.Authenticator(tokenAuth))",
    ),
    F(
        "go-database-goose",
        "database",
        "db/migrations/20240105120000_add_status.sql",
        "+-- +goose Up",
        "+ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'new';",
        "+-- +goose Down",
        "+ALTER TABLE orders DROP COLUMN status;",
        new=True,
    ),
    F(
        "go-database-gorm-model",
        "database",
        "internal/models/order.go",
        " type Order struct {",
        " \tgorm.Model",
        '+\tStatus string `gorm:"size:20;index"`',
    ),
    F(
        "go-api-gin-group",
        "api-versioning",
        "cmd/api/main.go",
        " r := gin.Default()",
        '+v2 := r.Group("/api/v2")',
    ),
    F(
        "go-middleware-gin",
        "middleware",
        "cmd/api/main.go",
        " r := gin.New()",
        "+r.Use(gin.Recovery())",
        "+r.Use(cors.Default())",
    ),
    F(
        "go-middleware-fiber",
        "middleware",
        "cmd/server/main.go",
        " app := fiber.New()",
        "+app.Use(limiter.New(limiter.Config{Max: 100}))",
    ),
    F(
        "go-dependencies-major",
        "dependencies",
        "go.mod",
        " require (",
        "-\tgithub.com/labstack/echo/v4 v4.11.4",
        "+\tgithub.com/labstack/echo/v5 v5.0.0",
    ),
    # java / kotlin
    F(
        "java-auth-ktor",
        "auth",
        "src/main/kotlin/com/shop/plugins/Security.kt",
        " fun Application.configureSecurity() {",
        "+    install(Authentication) {",
        '+        jwt("auth-jwt") {',
        "+            realm = jwtRealm",
    ),
    F(
        "java-auth-preauthorize",
        "auth",
        "src/main/java/com/shop/OrderController.java",
        '     @DeleteMapping("/{id}")',
        "+    @PreAuthorize(\"hasRole('ADMIN')\")",
        "     public void delete(@PathVariable Long id) {",
    ),
    F(
        "java-database-flyway-edit",
        "database",
        "src/main/resources/db/migration/V1__create_tables.sql",
        " CREATE TABLE orders (",
        "     id BIGSERIAL PRIMARY KEY,",
        "+    status VARCHAR(20) NOT NULL,",
        "     created_at TIMESTAMP NOT NULL",
    ),
    F(
        "java-database-liquibase-yaml",
        "database",
        "src/main/resources/db/changelog/changes/002-add-status.yaml",
        "+databaseChangeLog:",
        "+  - changeSet:",
        "+      id: 002",
        "+      changes:",
        "+        - addColumn:",
        "+            tableName: orders",
        new=True,
    ),
    F(
        "java-database-jpa-entity",
        "database",
        "src/main/java/com/shop/Order.java",
        " @Entity",
        " public class Order {",
        "+    @Column(nullable = false, length = 20)",
        "+    private String status;",
    ),
    F(
        "java-database-exposed",
        "database",
        "src/main/kotlin/com/shop/db/Tables.kt",
        " object Orders : IntIdTable() {",
        '+    val status = varchar("status", 20)',
    ),
    F(
        "java-middleware-ktor-cors",
        "middleware",
        "src/main/kotlin/com/shop/plugins/HTTP.kt",
        " fun Application.configureHTTP() {",
        "+    install(CORS) {",
        "+        anyHost()",
        "+    }",
    ),
    F(
        "java-middleware-spring-filter",
        "middleware",
        "src/main/java/com/shop/web/RequestIdFilter.java",
        "+@Component",
        "+public class RequestIdFilter extends OncePerRequestFilter {",
        "+    @Override",
        "+    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res,",
        new=True,
    ),
    F(
        "java-dependencies-catalog",
        "dependencies",
        "gradle/libs.versions.toml",
        " [libraries]",
        '+ktor-server-core = { module = "io.ktor:ktor-server-core", version.ref = "ktor" }',
        '+exposed-core = { module = "org.jetbrains.exposed:exposed-core", version.ref = "exp" }',
    ),
    F(
        "java-dependencies-pom-major",
        "dependencies",
        "pom.xml",
        "     <parent>",
        "         <groupId>org.springframework.boot</groupId>",
        "         <artifactId>spring-boot-starter-parent</artifactId>",
        "-        <version>2.7.18</version>",
        "+        <version>3.2.4</version>",
        "         <relativePath/>",
        "     </parent>",
    ),
    # dotnet
    F(
        "dotnet-auth-authorize",
        "auth",
        "src/Api/Controllers/OrdersController.cs",
        " [ApiController]",
        '+[Authorize(Roles = "Admin")]',
        " public class OrdersController : ControllerBase",
    ),
    F(
        "dotnet-database-ef-migration",
        "database",
        "src/Infrastructure/Migrations/20240105_AddStatus.cs",
        "+public partial class AddStatus : Migration",
        "+{",
        "+    protected override void Up(MigrationBuilder migrationBuilder)",
        "+    {",
        '+        migrationBuilder.AddColumn<string>(name: "Status", table: "Orders");',
        "+    }",
        new=True,
    ),
    F(
        "dotnet-middleware-ratelimiter",
        "middleware",
        "src/Api/Program.cs",
        " var app = builder.Build();",
        "+app.UseRateLimiter();",
    ),
    F(
        "dotnet-dependencies-central",
        "dependencies",
        "Directory.Packages.props",
        "   <ItemGroup>",
        '-    <PackageVersion Include="Microsoft.EntityFrameworkCore" Version="7.0.14" />',
        '+    <PackageVersion Include="Microsoft.EntityFrameworkCore" Version="8.0.1" />',
    ),
    # ruby
    F(
        "ruby-auth-devise-initializer",
        "auth",
        "config/initializers/devise.rb",
        " Devise.setup do |config|",
        "-  config.stretches = Rails.env.test? ? 1 : 11",
        "+  config.stretches = Rails.env.test? ? 1 : 13",
        "+  config.timeout_in = 30.minutes",
    ),
    F(
        "ruby-auth-cancancan",
        "auth",
        "app/controllers/orders_controller.rb",
        " class OrdersController < ApplicationController",
        "+  before_action :authenticate_user!",
        "+  load_and_authorize_resource",
    ),
    F(
        "ruby-middleware-rack-attack",
        "middleware",
        "config/application.rb",
        "   class Application < Rails::Application",
        "+    config.middleware.use Rack::Attack",
    ),
    F(
        "ruby-dependencies-gemfile-lock",
        "dependencies",
        "Gemfile.lock",
        "   specs:",
        "-    rails (7.2.1)",
        "+    rails (8.0.0)",
    ),
    F(
        "ruby-api-namespace",
        "api-versioning",
        "config/routes.rb",
        " Rails.application.routes.draw do",
        "+  namespace :api do",
        "+    namespace :v2 do",
        "+      resources :orders",
    ),
    # php
    F(
        "php-auth-sanctum-route",
        "auth",
        "routes/api.php",
        " use Illuminate\\Support\\Facades\\Route;",
        "+Route::middleware('auth:sanctum')->group(function () {",
        "+    Route::apiResource('orders', OrderController::class);",
        "+});",
    ),
    F(
        "php-auth-symfony-security",
        "auth",
        "config/packages/security.yaml",
        " security:",
        "     firewalls:",
        "         main:",
        "+            jwt: ~",
        "+            json_login:",
        "+                check_path: /api/login",
    ),
    F(
        "php-database-doctrine",
        "database",
        "migrations/Version20240105120000.php",
        "+final class Version20240105120000 extends AbstractMigration",
        "+{",
        "+    public function up(Schema $schema): void",
        "+    {",
        "+        $this->addSql('ALTER TABLE orders ADD status VARCHAR(20) NOT NULL');",
        "+    }",
        new=True,
    ),
    F(
        "php-middleware-kernel",
        "middleware",
        "app/Http/Kernel.php",
        "     protected $middleware = [",
        "+        \\App\\Http\\Middleware\\TrustProxies::class,",
        "+        \\Illuminate\\Http\\Middleware\\HandleCors::class,",
    ),
    F(
        "php-dependencies-composer-lock",
        "dependencies",
        "composer.lock",
        "         {",
        '             "name": "laravel/framework",',
        '-            "version": "v10.48.4",',
        '+            "version": "v11.0.0",',
    ),
    # rust
    F(
        "rust-auth-rocket-guard",
        "auth",
        "src/guards.rs",
        "+#[rocket::async_trait]",
        "+impl<'r> FromRequest<'r> for ApiKey<'r> {",
        "+    type Error = ApiKeyError;",
        "+    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {",
        '+        match req.headers().get_one("x-api-key") {',
        "+            None => Outcome::Error((Status::Unauthorized, ApiKeyError::Missing)),",
        new=True,
    ),
    F(
        "rust-database-seaorm",
        "database",
        "migration/src/m20240105_000001_create_order.rs",
        "+    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {",
        "+        manager",
        "+            .create_table(",
        "+                Table::create()",
        "+                    .table(Order::Table)",
        new=True,
    ),
    F(
        "rust-database-sqlx-migration",
        "database",
        "migrations/20240105120000_add_status.sql",
        "+ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'new';",
        new=True,
    ),
    F(
        "rust-middleware-axum-layer",
        "middleware",
        "src/main.rs",
        " let app = Router::new()",
        '     .route("/orders", get(list_orders))',
        "+    .layer(CorsLayer::permissive())",
        "+    .layer(TraceLayer::new_for_http());",
    ),
    F(
        "rust-api-axum-nest",
        "api-versioning",
        "src/main.rs",
        " let app = Router::new()",
        '+    .nest("/api/v2", api_v2_routes())',
    ),
    # elixir
    F(
        "elixir-auth-guardian-pipeline",
        "auth",
        "lib/shop_web/router.ex",
        "   pipeline :api do",
        '     plug :accepts, ["json"]',
        '+    plug Guardian.Plug.VerifyHeader, realm: "Bearer"',
        "+    plug Guardian.Plug.EnsureAuthenticated",
    ),
    F(
        "elixir-auth-role-plug",
        "auth",
        "lib/shop_web/controllers/invoice_controller.ex",
        "   use ShopWeb, :controller",
        "+  plug ShopWeb.RequireRole, :admin when action in [:delete]",
    ),
    F(
        "elixir-auth-halt-401",
        "auth",
        "lib/shop_web/plugs/api_key.ex",
        "   def call(conn, _opts) do",
        "+    conn",
        "+    |> put_status(401)",
        '+    |> json(%{error: "unauthorized"})',
        "+    |> halt()",
    ),
    F(
        "elixir-database-ecto-index",
        "database",
        "priv/repo/migrations/20240105_add_status.exs",
        "+defmodule Shop.Repo.Migrations.AddStatus do",
        "+  use Ecto.Migration",
        "+  def change do",
        "+    create unique_index(:orders, [:reference])",
        "+  end",
        new=True,
    ),
    F(
        "elixir-dependencies-mix-lock",
        "dependencies",
        "mix.lock",
        '-  "ecto_sql": {:hex, :ecto_sql, "2.2.1", "e5bdd18c7a06da58", [:mix], [], "hexpm"},',
        '+  "ecto_sql": {:hex, :ecto_sql, "3.10.1", "02189140a61b2ce8", [:mix], [], "hexpm"},',
    ),
    # token / session stores: auth
    F(
        "node-auth-token-model",
        "auth",
        "src/models/refreshToken.model.js",
        "+const refreshTokenSchema = mongoose.Schema({ token: String, expires: Date });",
        "+module.exports = mongoose.model('RefreshToken', refreshTokenSchema);",
        new=True,
    ),
    F(
        "elixir-auth-session-table",
        "auth",
        "priv/repo/migrations/20240105_create_user_sessions.exs",
        "+  def change do",
        "+    create table(:user_sessions) do",
        "+      add :token, :binary, null: false",
        new=True,
    ),
    F(
        "ruby-auth-api-keys-table",
        "auth",
        "db/migrate/20240105_create_api_keys.rb",
        "+  def change",
        "+    create_table :api_keys do |t|",
        "+      t.string :digest, null: false",
        new=True,
    ),
)

POSITIVE += (
    F(
        "python-dependencies-framework-plugin",
        "dependencies",
        "requirements/base.txt",
        " Django==5.0.3",
        "+django-structlog==8.0.0",
    ),
    F(
        "elixir-dependencies-auth-plugin",
        "dependencies",
        "mix.exs",
        '       {:pow, "~> 1.0"},',
        '+      {:pow_postgres_store, "~> 1.0"},',
    ),
)

NEGATIVE += (
    F(
        "python-dev-plugin",
        None,
        "requirements/local.txt",
        " -r base.txt",
        "+django-debug-toolbar==4.3.0",
    ),
    F(
        "node-auth-comment-helmet",
        None,
        "src/app.js",
        " app.use(cors());",
        "+// TODO: add passport and jwt auth later",
    ),
    F(
        "go-dependencies-minor",
        None,
        "go.mod",
        " require (",
        "-\tgithub.com/gin-gonic/gin v1.9.0",
        "+\tgithub.com/gin-gonic/gin v1.9.1",
    ),
    F(
        "java-dependencies-minor-catalog",
        None,
        "gradle/libs.versions.toml",
        " [versions]",
        '-ktor = "2.3.7"',
        '+ktor = "2.3.8"',
    ),
    F(
        "ruby-gemfile-lock-patch",
        None,
        "Gemfile.lock",
        "   specs:",
        "-    devise (4.9.2)",
        "+    devise (4.9.3)",
    ),
    F(
        "php-composer-lock-dev-major",
        None,
        "composer.lock",
        '             "name": "phpunit/phpunit",',
        '-            "version": "10.5.9",',
        '+            "version": "11.0.0",',
    ),
    F(
        "rust-test-jwt",
        None,
        "tests/api/login.rs",
        "+    // the jwt must be rejected once it expires",
        "+    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);",
    ),
    F(
        "docs-readme-auth",
        None,
        "README.md",
        "+Authentication uses `Authorization: Bearer <jwt>`; see `app.use(passport.initialize())`.",
    ),
    F(
        "node-body-parser",
        None,
        "src/app.js",
        " const app = express();",
        "+app.use(express.json());",
        "+app.use(express.urlencoded({ extended: true }));",
    ),
)

POSITIVE += (
    F(
        "python-auth-fastapi-superuser",
        "auth",
        "app/api/routes/users.py",
        ' @router.delete("/{user_id}")',
        "-def delete_user(user_id: int, session: SessionDep):",
        "+def delete_user(user_id: int, user: User = Depends(get_current_active_superuser)):",
        "+    if not user.is_superuser:",
        '+        raise HTTPException(status_code=403, detail="Not enough privileges")',
    ),
    F(
        "python-auth-flask-login",
        "auth",
        "app/__init__.py",
        " app = Flask(__name__)",
        "+login_manager = LoginManager(app)",
        '+login_manager.login_view = "auth.login"',
    ),
    F(
        "python-database-django-model",
        "database",
        "shop/models.py",
        " class Order(models.Model):",
        '+    status = models.CharField(max_length=20, default="new")',
    ),
    F(
        "node-auth-fastify-jwt",
        "auth",
        "src/app.ts",
        " const app = Fastify();",
        "+app.register(fastifyJwt, { secret: process.env.JWT_SECRET });",
    ),
    F(
        "node-database-mongoose-field",
        "database",
        "src/models/order.model.js",
        " const orderSchema = mongoose.Schema({",
        "+  status: { type: String, enum: ['new', 'paid'], default: 'new' },",
    ),
    F(
        "node-api-express-mount",
        "api-versioning",
        "src/app.js",
        "-app.use('/v1', routes);",
        "+app.use('/v2', routes);",
    ),
    F(
        "go-auth-echo-jwt",
        "auth",
        "server/server.go",
        " e := echo.New()",
        "+e.Use(echojwt.WithConfig(echojwt.Config{SigningKey: []byte(secret)}))",
    ),
    F(
        "go-auth-casbin",
        "auth",
        "internal/auth/enforcer.go",
        '+import "github.com/casbin/casbin/v2"',
        '+e, err := casbin.NewEnforcer("model.conf", "policy.csv")',
        new=True,
    ),
    F(
        "go-database-sqlx-migrate",
        "database",
        "migrations/000003_add_status.up.sql",
        "+ALTER TABLE orders ADD COLUMN status TEXT;",
        new=True,
    ),
    F(
        "go-api-echo-group",
        "api-versioning",
        "server/router.go",
        '-api := e.Group("/api/v1")',
        '+api := e.Group("/api/v2")',
    ),
    F(
        "go-middleware-chi",
        "middleware",
        "cmd/server/main.go",
        " r := chi.NewRouter()",
        "+r.Use(middleware.RequestID)",
        "+r.Use(httprate.LimitByIP(100, time.Minute))",
    ),
    F(
        "java-auth-spring-filterchain",
        "auth",
        "src/main/java/com/shop/config/SecurityConfig.java",
        "+    @Bean",
        "+    SecurityFilterChain api(HttpSecurity http) throws Exception {",
        "+        http.oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults()));",
    ),
    F(
        "java-api-spring-mapping",
        "api-versioning",
        "src/main/java/com/shop/web/OrderController.java",
        " @RestController",
        '-@RequestMapping("/api/v1/orders")',
        '+@RequestMapping("/api/v2/orders")',
    ),
    F(
        "java-middleware-spring-cors",
        "middleware",
        "src/main/java/com/shop/config/WebConfig.java",
        "     @Override",
        "+    public void addCorsMappings(CorsRegistry registry) {",
        '+        registry.addMapping("/api/**").allowedOrigins("https://shop.example.com");',
    ),
    F(
        "java-api-ktor-route",
        "api-versioning",
        "src/main/kotlin/com/shop/plugins/Routing.kt",
        " routing {",
        '-    route("/api/v1") {',
        '+    route("/api/v2") {',
    ),
    F(
        "java-database-exposed-create",
        "database",
        "src/main/kotlin/com/shop/db/DatabaseFactory.kt",
        " transaction(database) {",
        "+    SchemaUtils.create(Orders, OrderLines)",
    ),
    F(
        "java-dependencies-gradle-add",
        "dependencies",
        "build.gradle.kts",
        " dependencies {",
        '+    implementation("org.springframework.boot:spring-boot-starter-security")',
    ),
    F(
        "dotnet-auth-jwt-bearer",
        "auth",
        "src/Api/Program.cs",
        " var builder = WebApplication.CreateBuilder(args);",
        "+builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)",
        "+    .AddJwtBearer(options => options.Authority = authority);",
    ),
    F(
        "dotnet-api-route-version",
        "api-versioning",
        "src/Api/Controllers/OrdersController.cs",
        " [ApiController]",
        '-[Route("api/v1/[controller]")]',
        '+[Route("api/v2/[controller]")]',
    ),
    F(
        "dotnet-api-mapgroup",
        "api-versioning",
        "src/Api/Program.cs",
        " var app = builder.Build();",
        '+var v2 = app.MapGroup("/api/v2");',
    ),
    F(
        "dotnet-database-fluent",
        "database",
        "src/Infrastructure/Data/Config/OrderConfiguration.cs",
        "     public void Configure(EntityTypeBuilder<Order> builder)",
        "     {",
        "+        builder.Property(o => o.Status).HasMaxLength(20).IsRequired();",
    ),
    F(
        "dotnet-middleware-cors",
        "middleware",
        "src/Api/Program.cs",
        " var app = builder.Build();",
        '+app.UseCors("AllowShop");',
    ),
    F(
        "ruby-auth-secure-password",
        "auth",
        "app/models/user.rb",
        " class User < ApplicationRecord",
        "+  has_secure_password",
    ),
    F(
        "ruby-database-change-table",
        "database",
        "db/migrate/20240105_change_orders.rb",
        "+class ChangeOrders < ActiveRecord::Migration[7.1]",
        "+  def change",
        "+    change_table :orders do |t|",
        "+      t.string :status",
        new=True,
    ),
    F(
        "ruby-middleware-cors-initializer",
        "middleware",
        "config/initializers/cors.rb",
        "+Rails.application.config.middleware.insert_before 0, Rack::Cors do",
        "+  allow do",
        "+    origins 'https://shop.example.com'",
        new=True,
    ),
    F(
        "php-auth-sanctum-tokens",
        "auth",
        "app/Models/User.php",
        " class User extends Authenticatable",
        " {",
        "-    use HasFactory, Notifiable;",
        "+    use HasApiTokens, HasFactory, Notifiable;",
    ),
    F(
        "php-api-route-prefix",
        "api-versioning",
        "routes/api.php",
        "-Route::prefix('v1')->group(function () {",
        "+Route::prefix('v2')->group(function () {",
    ),
    F(
        "php-database-laravel-migration",
        "database",
        "database/migrations/2024_01_05_000000_add_status_to_orders.php",
        "+    public function up(): void",
        "+    {",
        "+        Schema::table('orders', function (Blueprint $table) {",
        "+            $table->string('status')->default('new');",
        new=True,
    ),
    F(
        "php-middleware-laravel11",
        "middleware",
        "bootstrap/app.php",
        "     ->withMiddleware(function (Middleware $middleware) {",
        "+        $middleware->append(EnsureTokenIsValid::class);",
    ),
    F(
        "rust-auth-actix-identity",
        "auth",
        "src/startup.rs",
        " App::new()",
        "+    .wrap(IdentityMiddleware::default())",
        "+    .wrap(SessionMiddleware::new(redis_store.clone(), secret_key.clone()))",
    ),
    F(
        "rust-api-actix-scope",
        "api-versioning",
        "src/startup.rs",
        " App::new()",
        '-    .service(web::scope("/api/v1").configure(routes))',
        '+    .service(web::scope("/api/v2").configure(routes))',
    ),
    F(
        "rust-database-diesel",
        "database",
        "migrations/2024-01-05-000000_add_status/up.sql",
        "+ALTER TABLE orders ADD COLUMN status VARCHAR NOT NULL DEFAULT 'new';",
        new=True,
    ),
    F(
        "rust-middleware-actix-cors",
        "middleware",
        "src/startup.rs",
        " App::new()",
        "+    .wrap(Cors::permissive())",
    ),
    F(
        "elixir-api-scope",
        "api-versioning",
        "lib/shop_web/router.ex",
        '-  scope "/api/v1", ShopWeb do',
        '+  scope "/api/v2", ShopWeb do',
    ),
    F(
        "elixir-middleware-endpoint-plug",
        "middleware",
        "lib/shop_web/endpoint.ex",
        "   plug Plug.RequestId",
        '+  plug CORSPlug, origin: ["https://shop.example.com"]',
    ),
    F(
        "elixir-database-ecto-alter",
        "database",
        "priv/repo/migrations/20240105_add_status.exs",
        "+  def change do",
        "+    alter table(:orders) do",
        '+      add :status, :string, default: "new"',
        new=True,
    ),
)

NEGATIVE += (
    F(
        "node-authors-router",
        None,
        "src/app.js",
        " app.use(helmetless);",
        "+app.use(authorsRouter);",
    ),
    F(
        "python-django-data-migration",
        None,
        "shop/migrations/0008_backfill_slugs.py",
        "+import json",
        "+import uuid",
        "+from django.db import migrations",
        "+def forwards(apps, schema_editor):",
        '+    Order = apps.get_model("shop", "Order")',
        new=True,
    ),
    F(
        "go-test-unauthorized",
        None,
        "server/auth_test.go",
        "+\tassert.Equal(t, http.StatusUnauthorized, rec.Code)",
    ),
    F(
        "node-dependency-minor",
        None,
        "package.json",
        '   "dependencies": {',
        '-    "express": "^4.18.2",',
        '+    "express": "^4.19.2",',
    ),
    F(
        "elixir-browser-pipeline-session",
        None,
        "lib/shop_web/router.ex",
        "   pipeline :browser do",
        "-    plug :put_root_layout, html: {ShopWeb.Layouts, :root}",
        "+    plug :put_root_layout, html: {ShopWeb.Layouts, :app}",
    ),
    F(
        "dotnet-comment-authorize",
        None,
        "src/Api/Controllers/OrdersController.cs",
        " [ApiController]",
        "+// TODO: [Authorize] once the identity server is up",
    ),
    F(
        "java-test-security",
        None,
        "src/test/java/com/shop/SecurityConfigTest.java",
        '+    @WithMockUser(roles = "ADMIN")',
        "+    void adminCanDelete() {}",
    ),
    F(
        "ruby-log-tag",
        None,
        "config/environments/production.rb",
        " Rails.application.configure do",
        "-  config.log_level = :info",
        "+  config.log_level = :warn",
    ),
)


NEGATIVE += (
    F(
        "go-middleware-with-config",
        None,
        "cmd/api/main.go",
        " r := gin.New()",
        "-r.Use(gin.Logger())",
        '+r.Use(gin.LoggerWithConfig(gin.LoggerConfig{SkipPaths: []string{"/health"}}))',
    ),
    F(
        "ruby-before-action-loader",
        None,
        "app/controllers/orders_controller.rb",
        " class OrdersController < ApplicationController",
        "+  before_action :set_order, only: %i[show edit]",
    ),
    F(
        "node-vue-props-type",
        None,
        "src/components/OrderCard.vue",
        "   props: {",
        "+    title: { type: String, required: true },",
    ),
    F(
        "node-design-tokens",
        None,
        "src/theme/tokens.ts",
        "+export const tokens = { primary: '#333' };",
        new=True,
    ),
    F(
        "go-sql-query-file",
        None,
        "internal/store/queries/orders.sql",
        "-SELECT id, total FROM orders WHERE user_id = $1;",
        "+SELECT id, total, status FROM orders WHERE user_id = $1;",
    ),
    F(
        "node-router-mount",
        None,
        "src/routes/index.js",
        " const router = express.Router();",
        "+router.use('/orders', orderRoute);",
    ),
)

POSITIVE += (
    F(
        "node-database-prisma-field",
        "database",
        "prisma/schema.prisma",
        " model Order {",
        "   id     Int    @id @default(autoincrement())",
        '+  status String @default("new")',
    ),
    F(
        "node-database-typeorm-field",
        "database",
        "src/orders/order.entity.ts",
        " @Entity()",
        " export class Order {",
        "+  @Column({ default: 'new' })",
        "+  status: string;",
    ),
    F(
        "node-database-sequelize-field",
        "database",
        "src/models/order.js",
        " Order.init({",
        "+  status: DataTypes.STRING,",
    ),
    F(
        "node-database-drizzle-field",
        "database",
        "src/db/schema.ts",
        " export const orders = pgTable('orders', {",
        "+  status: text('status').notNull().default('new'),",
    ),
    F(
        "php-database-doctrine-field",
        "database",
        "src/Entity/Order.php",
        "+    #[ORM\\Column(length: 20)]",
        "+    private ?string $status = null;",
    ),
    F(
        "rust-database-diesel-schema",
        "database",
        "src/schema.rs",
        " diesel::table! {",
        "     orders (id) {",
        "+        status -> Varchar,",
    ),
    F(
        "rust-database-seaorm-entity",
        "database",
        "src/entities/order.rs",
        " pub struct Model {",
        '+    #[sea_orm(column_type = "Text")]',
        "+    pub status: String,",
    ),
    F(
        "dotnet-database-ef-entity",
        "database",
        "src/ApplicationCore/Entities/Order.cs",
        " public class Order : BaseEntity",
        " {",
        "+    public string Status { get; private set; }",
    ),
    F(
        "python-database-sqlalchemy-relationship",
        "database",
        "app/models/order.py",
        " class Order(Base):",
        '+    items = relationship("OrderItem", back_populates="order")',
    ),
    F(
        "go-database-gorm-automigrate",
        "database",
        "internal/db/db.go",
        " func Migrate(db *gorm.DB) error {",
        "-\treturn db.AutoMigrate(&Order{})",
        "+\treturn db.AutoMigrate(&Order{}, &Invoice{})",
    ),
    F(
        "php-database-eloquent-model",
        "database",
        "app/Models/Invoice.php",
        "+class Invoice extends Model",
        "+{",
        "+    protected $fillable = ['number', 'total'];",
        new=True,
    ),
    F(
        "ruby-database-model-association",
        "database",
        "app/models/order.rb",
        " class Order < ApplicationRecord",
        "+  has_many :invoices, dependent: :destroy",
    ),
)

POSITIVE += (
    F(
        "go-auth-cors-credentials",
        "auth",
        "server/cors.go",
        " \treturn middleware.CORSWithConfig(middleware.CORSConfig{",
        "-\t\tAllowCredentials: true,",
        "+\t\tAllowCredentials: false,",
    ),
)

POSITIVE += (
    F(
        "java-auth-resource-server-settings",
        "auth",
        "src/main/resources/application.yml",
        " spring:",
        "+  security:",
        "+    oauth2:",
        "+      resourceserver:",
        "+        jwt:",
        "+          issuer-uri: https://id.example.com/realms/shop",
    ),
    F(
        "dotnet-auth-jwt-settings",
        "auth",
        "src/Api/appsettings.json",
        " {",
        '+  "Jwt": {',
        '+    "Issuer": "https://id.example.com",',
        '+    "Audience": "shop-api"',
        "+  },",
    ),
    F(
        "java-auth-authorize-http-requests",
        "auth",
        "src/main/java/com/shop/config/SecurityConfig.java",
        "         http",
        '+      .authorizeHttpRequests(a -> a.requestMatchers("/admin/**").hasRole("ADMIN"))',
    ),
    F(
        "java-database-engine-switch",
        "database",
        "src/main/resources/application.properties",
        "-spring.datasource.url=jdbc:mysql://db:3306/shop",
        "+spring.datasource.url=jdbc:postgresql://db:5432/shop",
    ),
    F(
        "java-auth-ktor-jwt-verifier",
        "auth",
        "src/main/kotlin/com/shop/plugins/Security.kt",
        "         jwt {",
        "+            verifier(JWT.require(Algorithm.HMAC256(secret)).build())",
    ),
    F(
        "ruby-auth-session-store",
        "auth",
        "config/initializers/session_store.rb",
        "-Rails.application.config.session_store :cookie_store, key: '_shop_session'",
        "+Rails.application.config.session_store :redis_store, servers: ['redis://localhost:6379/0/session']",
    ),
    F(
        "python-auth-password-hashers",
        "auth",
        "config/settings/base.py",
        " AUTH_PASSWORD_VALIDATORS = []",
        "+PASSWORD_HASHERS = [",
        '+    "django.contrib.auth.hashers.Argon2PasswordHasher",',
        "+]",
    ),
    F(
        "elixir-auth-pipe-through",
        "auth",
        "lib/shop_web/router.ex",
        '   scope "/", ShopWeb do',
        "-    pipe_through :browser",
        "+    pipe_through [:browser, :require_authenticated_user]",
    ),
    F(
        "dotnet-auth-password-policy",
        "auth",
        "src/Web/Program.cs",
        " builder.Services.Configure<IdentityOptions>(options =>",
        " {",
        "-    options.Password.RequiredLength = 6;",
        "+    options.Password.RequiredLength = 12;",
        "+    options.Lockout.MaxFailedAccessAttempts = 5;",
    ),
)

NEGATIVE += (
    F(
        "node-env-secret-value",
        None,
        ".env.example",
        " PORT=3000",
        "-JWT_SECRET=thisisasamplesecret",
        "+JWT_SECRET=change-me-before-deploying",
    ),
    F(
        "node-i18n-auth-words",
        None,
        "src/locales/de.json",
        " {",
        '+  "authentication": "Authentifizierung",',
        '+  "jwt": "JWT",',
    ),
    F(
        "python-password-helper-call",
        None,
        "app/crud.py",
        " def create_user(*, session: Session, user_create: UserCreate) -> User:",
        '+    extra = {"hashed_password": get_password_hash(user_create.password)}',
    ),
    F(
        "python-admin-register-session",
        None,
        "accounts/admin.py",
        " from .models import Session",
        "+admin.site.register(Session)",
    ),
    F(
        "rust-use-enum-variant",
        None,
        "src/domain/order.rs",
        " fn total(o: &Order) -> u64 {",
        "+    use Status::Paid;",
    ),
    F(
        "python-database-url-host",
        None,
        "app/core/config.py",
        " class Settings(BaseSettings):",
        '-    DATABASE_URL: str = "postgresql://app@localhost:5432/app"',
        '+    DATABASE_URL: str = "postgresql://app@db:5432/app"',
    ),
)

POSITIVE += (
    F(
        "python-api-django-path",
        "api-versioning",
        "config/urls.py",
        " urlpatterns = [",
        '-    path("api/v1/", include("shop.api.urls")),',
        '+    path("api/v2/", include("shop.api.urls")),',
    ),
    F(
        "python-api-include-router",
        "api-versioning",
        "app/main.py",
        " app = FastAPI()",
        '+app.include_router(api_router, prefix="/api/v2")',
    ),
    F(
        "node-api-controller-version",
        "api-versioning",
        "src/orders/orders.controller.ts",
        "-@Controller('orders')",
        "+@Controller({ path: 'orders', version: '2' })",
    ),
    F(
        "java-api-mapping-removed",
        "api-versioning",
        "src/main/java/com/shop/web/OrderController.java",
        '-    @GetMapping("/{id}/items")',
        "-    public List<Item> items(@PathVariable Long id) { return service.items(id); }",
    ),
    F(
        "node-api-route-removed",
        "api-versioning",
        "src/routes/order.routes.js",
        " const router = express.Router();",
        "-router.delete('/:orderId', auth('manageOrders'), orderController.deleteOrder);",
    ),
    F(
        "ruby-api-resources-removed",
        "api-versioning",
        "config/routes.rb",
        "   namespace :v1 do",
        "-    resources :invoices, only: [:index, :show]",
    ),
    F(
        "go-api-route-removed",
        "api-versioning",
        "server/router.go",
        ' api := e.Group("/api/v1")',
        '-\tapi.DELETE("/orders/:id", h.DeleteOrder)',
    ),
    F(
        "php-api-route-removed",
        "api-versioning",
        "routes/api.php",
        " Route::middleware('auth:sanctum')->group(function () {",
        "-    Route::delete('/orders/{order}', [OrderController::class, 'destroy']);",
    ),
    F(
        "dotnet-api-route-removed",
        "api-versioning",
        "src/Api/Controllers/OrdersController.cs",
        '-    [HttpDelete("{id}")]',
        "-    public async Task<IActionResult> Delete(int id) => Ok(await _orders.Delete(id));",
    ),
    F(
        "rust-api-actix-route-removed",
        "api-versioning",
        "src/startup.rs",
        " App::new()",
        '-    .route("/subscriptions", web::post().to(subscribe))',
    ),
    F(
        "rust-api-axum-route-removed",
        "api-versioning",
        "src/main.rs",
        " let app = Router::new()",
        '-    .route("/orders/:id", delete(delete_order))',
    ),
    F(
        "elixir-api-route-removed",
        "api-versioning",
        "lib/shop_web/router.ex",
        '   scope "/api", ShopWeb do',
        '-    delete "/orders/:id", OrderController, :delete',
    ),
    F(
        "java-api-ktor-route-removed",
        "api-versioning",
        "src/main/kotlin/com/shop/plugins/Routing.kt",
        '     route("/orders") {',
        '-        delete("{id}") { call.respond(service.delete(call.parameters["id"]!!)) }',
    ),
    F(
        "node-api-openapi-path-removed",
        "api-versioning",
        "openapi.yaml",
        " paths:",
        "-  /orders/{id}:",
        "-    delete:",
    ),
    F(
        "node-api-graphql-field-removed",
        "api-versioning",
        "schema.graphql",
        " type Order {",
        "-  legacyTotal: Float",
    ),
)

NEGATIVE += (
    F(
        "ruby-route-added",
        None,
        "config/routes.rb",
        "   namespace :v1 do",
        "+    resources :invoices, only: [:index, :show]",
    ),
    F(
        "rust-route-added",
        None,
        "src/main.rs",
        " let app = Router::new()",
        '+    .route("/health", get(health))',
    ),
)

POSITIVE += (
    F(
        "python-middleware-flask-before-request",
        "middleware",
        "app/__init__.py",
        " app = Flask(__name__)",
        "+@app.before_request",
        "+def load_tenant():",
    ),
    F(
        "python-middleware-fastapi-middleware-decorator",
        "middleware",
        "app/main.py",
        " app = FastAPI()",
        '+@app.middleware("http")',
        "+async def add_process_time_header(request: Request, call_next):",
    ),
    F(
        "python-middleware-starlette-middleware-list",
        "middleware",
        "app/main.py",
        "-app = Starlette(routes=routes)",
        "+app = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware)])",
    ),
    F(
        "node-middleware-nest-global-interceptor",
        "middleware",
        "src/main.ts",
        " const app = await NestFactory.create(AppModule);",
        "+app.useGlobalInterceptors(new ClassSerializerInterceptor(app.get(Reflector)));",
    ),
    F(
        "node-middleware-nest-consumer-apply",
        "middleware",
        "src/app.module.ts",
        "   configure(consumer: MiddlewareConsumer) {",
        "+    consumer.apply(LoggerMiddleware).forRoutes('*');",
    ),
    F(
        "node-middleware-fastify-hook",
        "middleware",
        "src/server.ts",
        " const app = Fastify();",
        "+app.addHook('onRequest', async (request) => { request.log.info('in'); });",
    ),
    F(
        "node-middleware-express-error-handler",
        "middleware",
        "src/app.js",
        " app.use(routes);",
        "+app.use(errorConverter);",
        "+app.use(errorHandler);",
    ),
    F(
        "go-middleware-echo-middleware",
        "middleware",
        "server/server.go",
        " e := echo.New()",
        "+e.Use(middleware.RateLimiter(middleware.NewRateLimiterMemoryStore(20)))",
    ),
    F(
        "go-middleware-go-http-handler-mw",
        "middleware",
        "internal/middleware/logging.go",
        "+func Logging(next http.Handler) http.Handler {",
        "+\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {",
        new=True,
    ),
    F(
        "java-middleware-spring-interceptor",
        "middleware",
        "src/main/java/com/shop/config/WebConfig.java",
        "     @Override",
        "+    public void addInterceptors(InterceptorRegistry registry) {",
        "+        registry.addInterceptor(new TenantInterceptor());",
    ),
    F(
        "java-middleware-ktor-install-ratelimit",
        "middleware",
        "src/main/kotlin/com/shop/Application.kt",
        " fun Application.module() {",
        "+    install(RateLimit) {",
        "+        global { rateLimiter(limit = 100, refillPeriod = 60.seconds) }",
    ),
    F(
        "dotnet-middleware-aspnet-usemiddleware",
        "middleware",
        "src/Api/Program.cs",
        " var app = builder.Build();",
        "+app.UseMiddleware<CorrelationIdMiddleware>();",
    ),
    F(
        "ruby-middleware-rails-middleware-delete",
        "middleware",
        "config/application.rb",
        "   class Application < Rails::Application",
        "+    config.middleware.delete ActionDispatch::Cookies",
    ),
    F(
        "ruby-middleware-rack-config-ru",
        "middleware",
        "config.ru",
        " require_relative 'config/environment'",
        "+use Rack::Deflater",
    ),
    F(
        "php-middleware-laravel-route-middleware-alias",
        "middleware",
        "bootstrap/app.php",
        "     ->withMiddleware(function (Middleware $middleware) {",
        "+        $middleware->alias(['subscribed' => EnsureUserIsSubscribed::class]);",
    ),
    F(
        "php-middleware-symfony-event-subscriber",
        "middleware",
        "src/EventSubscriber/RequestIdSubscriber.php",
        "+class RequestIdSubscriber implements EventSubscriberInterface",
        "+{",
        "+    public static function getSubscribedEvents(): array",
        "+    {",
        "+        return [KernelEvents::REQUEST => 'onKernelRequest'];",
        new=True,
    ),
    F(
        "rust-middleware-actix-wrap-logger",
        "middleware",
        "src/startup.rs",
        " App::new()",
        "+    .wrap(TracingLogger::default())",
    ),
    F(
        "rust-middleware-rocket-fairing",
        "middleware",
        "src/main.rs",
        " rocket::build()",
        "+    .attach(Cors)",
    ),
    F(
        "rust-middleware-tower-servicebuilder",
        "middleware",
        "src/main.rs",
        " let app = Router::new()",
        "+    .layer(ServiceBuilder::new().layer(TimeoutLayer::new(Duration::from_secs(10))))",
    ),
    F(
        "elixir-middleware-phoenix-router-plug",
        "middleware",
        "lib/shop_web/router.ex",
        "   pipeline :api do",
        '     plug :accepts, ["json"]',
        "+    plug ShopWeb.Plugs.RateLimit",
    ),
    F(
        "python-middleware-django-middleware-class",
        "middleware",
        "shop/middleware.py",
        "+class TenantMiddleware:",
        "+    def __init__(self, get_response):",
        "+        self.get_response = get_response",
        "+    def __call__(self, request):",
        new=True,
    ),
)

POSITIVE += (
    F(
        "ruby-auth-head-forbidden",
        "auth",
        "app/controllers/invoices_controller.rb",
        "   def destroy",
        "+    return head :forbidden unless current_user.admin?",
    ),
    F(
        "php-auth-deny-access",
        "auth",
        "src/Controller/InvoiceController.php",
        "     public function delete(Invoice $invoice): Response",
        "     {",
        "+        $this->denyAccessUnlessGranted('ROLE_ADMIN');",
    ),
    F(
        "php-auth-abort-if",
        "auth",
        "app/Http/Controllers/InvoiceController.php",
        "     public function destroy(Invoice $invoice)",
        "     {",
        "+        abort_if($request->user()->cannot('delete', $invoice), 403);",
    ),
)


# Kinds of change a held-out tester found missed (issue 11): a guard on a whole controller, an
# identity provider in Spring configuration, a version in a route prefix, Rails schema and
# adapter changes, SQL run by a TypeORM migration, an axum route layer, a login redirect.
POSITIVE += (
    F(
        "ruby-auth-controller-guard",
        "auth",
        "app/controllers/admin/base_controller.rb",
        " class Admin::BaseController < ApplicationController",
        "+  before_action :authenticate_admin!",
        '   layout "admin"',
    ),
    F(
        "php-auth-class-isgranted",
        "auth",
        "src/Controller/ReportController.php",
        " #[Route('/reports')]",
        "+#[IsGranted('ROLE_AUDITOR')]",
        " class ReportController extends AbstractController",
    ),
    F(
        "php-auth-controller-middleware",
        "auth",
        "app/Http/Controllers/BillingController.php",
        "     public function __construct(private InvoiceService $invoices)",
        "     {",
        "+        $this->middleware('auth');",
        "     }",
    ),
    F(
        "python-auth-class-view-decorator",
        "auth",
        "billing/views.py",
        '+@method_decorator(login_required, name="dispatch")',
        " class InvoiceListView(ListView):",
    ),
    F(
        "node-auth-nest-class-guard",
        "auth",
        "src/invoices/invoices.controller.ts",
        " @Controller('invoices')",
        "+@UseGuards(SessionGuard)",
        " export class InvoicesController {",
    ),
    F(
        "python-auth-fastapi-scopes",
        "auth",
        "app/routers/invoices.py",
        " async def void_invoice(",
        "     invoice_id: UUID,",
        '+    principal: Principal = Security(current_principal, scopes=["invoices:admin"]),',
        " ):",
    ),
    F(
        "java-auth-oauth2-issuer",
        "auth",
        "api/src/main/resources/application.yml",
        "       resourceserver:",
        "         jwt:",
        "-          jwk-set-uri: https://login.example.org/keys",
        "+          jwk-set-uri: https://id.example.com/.well-known/jwks.json",
    ),
    F(
        "java-auth-oauth2-client-properties",
        "auth",
        "src/main/resources/application.properties",
        " server.port=8080",
        "+spring.security.oauth2.client.registration.github.client-id=${GITHUB_CLIENT_ID}",
    ),
    F(
        "node-auth-next-middleware-login",
        "auth",
        "src/middleware.ts",
        "+export function middleware(req: NextRequest) {",
        "+  if (!req.cookies.has('sid')) {",
        "+    return NextResponse.redirect(new URL('/account/signin', req.url));",
        "+  }",
        "+}",
        new=True,
    ),
    F(
        "rust-auth-route-layer",
        "auth",
        "src/api/mod.rs",
        "     Router::new()",
        '         .route("/invoices", post(create_invoice))',
        "+        .route_layer(middleware::from_fn(require_session))",
    ),
    F(
        "ruby-database-schema-rb",
        "database",
        "db/schema.rb",
        '   create_table "invoices", force: :cascade do |t|',
        '+    t.decimal "tax_rate", precision: 5, scale: 2',
        '     t.datetime "created_at", null: false',
    ),
    F(
        "ruby-database-adapter",
        "database",
        "config/database.yml",
        " default: &default",
        "-  adapter: mysql2",
        "+  adapter: trilogy",
    ),
    F(
        "node-database-typeorm-query",
        "database",
        "src/database/migrations/1700000000000-InvoiceDueAt.ts",
        "+export class InvoiceDueAt1700000000000 implements MigrationInterface {",
        "+  async up(queryRunner: QueryRunner): Promise<void> {",
        '+    await queryRunner.query(`ALTER TABLE "invoice" ADD COLUMN "due_at" timestamp`);',
        "+  }",
        "+}",
        new=True,
    ),
    F(
        "java-api-version-mapping",
        "api-versioning",
        "src/main/java/org/example/billing/InvoiceController.java",
        " @RestController",
        '-@RequestMapping("/billing/v1/invoices")',
        '+@RequestMapping(value = {"/billing/v1/invoices", "/billing/v2/invoices"})',
        " public class InvoiceController {",
    ),
    F(
        "php-api-route-attribute-version",
        "api-versioning",
        "src/Controller/Api/V3/InvoiceController.php",
        "+namespace App\\Controller\\Api\\V3;",
        "+",
        "+#[Route('/api/v3/invoices', name: 'invoices_')]",
        "+final class InvoiceController extends AbstractController",
        new=True,
    ),
    F(
        "php-api-routes-yaml-prefix",
        "api-versioning",
        "config/routes/billing.yaml",
        " billing_v1:",
        "     prefix: /billing/v1",
        "+billing_v2:",
        "+    resource: ../../src/Controller/Billing/V2/",
        "+    type: attribute",
        "+    prefix: /billing/v2",
    ),
    F(
        "java-dependencies-maven-property",
        "dependencies",
        "pom.xml",
        "     <properties>",
        "-        <quarkus.version>2.16.12.Final</quarkus.version>",
        "+        <quarkus.version>3.8.4</quarkus.version>",
        "     </properties>",
    ),
    F(
        "node-api-next-app-version",
        "api-versioning",
        "src/app/api/v3/invoices/route.ts",
        "+export async function GET() {",
        "+  return NextResponse.json(await listInvoices());",
        "+}",
        new=True,
    ),
)

NEGATIVE += (
    F(
        "ruby-before-action-only",
        None,
        "app/controllers/posts_controller.rb",
        " class PostsController < ApplicationController",
        "+  before_action :authenticate_user!, only: %i[new create]",
    ),
    F(
        "php-method-isgranted",
        None,
        "src/Controller/ReportController.php",
        "     #[Route('/export', methods: ['GET'])]",
        "+    #[IsGranted('ROLE_EDITOR')]",
        "     public function export(): Response",
    ),
    F(
        "php-controller-middleware-only",
        None,
        "app/Http/Controllers/BillingController.php",
        "     {",
        "+        $this->middleware('auth')->only(['store', 'destroy']);",
        "     }",
    ),
    F(
        "python-method-decorator-one-handler",
        None,
        "billing/views.py",
        " class InvoiceListView(ListView):",
        "+    @method_decorator(login_required)",
        "     def post(self, request):",
    ),
    F(
        "node-method-guard",
        None,
        "src/invoices/invoices.controller.ts",
        "   @Post()",
        "+  @UseGuards(ThrottlerGuard)",
        "   create(@Body() dto: CreateInvoiceDto) {",
    ),
    F(
        "python-fastapi-depends-user",
        None,
        "app/routers/invoices.py",
        " async def list_invoices(",
        "+    user: User = Depends(get_current_user),",
        " ):",
    ),
    F(
        "java-application-yml-comment-issuer",
        None,
        "src/main/resources/application.yml",
        " server:",
        "+  # issuer-uri and client-id are set per environment",
        "+  port: 8081",
    ),
    F(
        "node-middleware-locale-redirect",
        None,
        "src/middleware.ts",
        "   if (!hasLocale) {",
        "-    return NextResponse.redirect(new URL('/de', req.url));",
        "+    return NextResponse.redirect(new URL('/fr', req.url));",
        "   }",
    ),
    F(
        "rust-comment-route-layer",
        None,
        "src/api/mod.rs",
        "     Router::new()",
        "+        // TODO: .route_layer(middleware::from_fn(require_session)) once sessions land",
        '         .route("/invoices", post(create_invoice))',
    ),
    F(
        "ruby-schema-version-only",
        None,
        "db/schema.rb",
        "-ActiveRecord::Schema[7.1].define(version: 2024_01_09_101500) do",
        "+ActiveRecord::Schema[7.1].define(version: 2024_02_20_083000) do",
        '   create_table "invoices", force: :cascade do |t|',
    ),
    F(
        "ruby-database-pool",
        None,
        "config/database.yml",
        "   adapter: postgresql",
        "-  pool: 5",
        "+  pool: 10",
    ),
    F(
        "node-typeorm-data-migration",
        None,
        "src/database/migrations/1700000000001-SeedCurrencies.ts",
        "+export class SeedCurrencies1700000000001 implements MigrationInterface {",
        "+  async up(queryRunner: QueryRunner): Promise<void> {",
        "+    await queryRunner.query(`INSERT INTO \"currency\" (code) VALUES ('EUR')`);",
        "+  }",
        "+}",
        new=True,
    ),
    F(
        "java-comment-version-mapping",
        None,
        "src/main/java/org/example/billing/InvoiceController.java",
        " @RestController",
        '+// v2 will move to @RequestMapping("/billing/v2/invoices")',
        " public class InvoiceController {",
    ),
    F(
        "php-routes-yaml-unversioned-prefix",
        None,
        "config/routes/admin.yaml",
        " admin:",
        "-    prefix: /backoffice",
        "+    prefix: /admin",
    ),
    F(
        "java-maven-property-minor",
        None,
        "pom.xml",
        "     <properties>",
        "-        <quarkus.version>3.8.4</quarkus.version>",
        "+        <quarkus.version>3.9.1</quarkus.version>",
        "     </properties>",
    ),
    F(
        "node-next-page-version-folder",
        None,
        "src/app/(marketing)/v2/page.tsx",
        "+export default function LaunchPage() {",
        '+  return <Hero title="Version 2 is here" />;',
        "+}",
        new=True,
    ),
)


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_rule_pack()


@pytest.mark.parametrize("fixture", POSITIVE, ids=lambda f: f.id)
def test_each_stack_category_cell_is_found(fixture: Fixture, pack: RulePack) -> None:
    verdict = detect(parse(_diff((fixture,))), pack)
    found = {c.name: c for c in verdict.categories if c.significant}
    assert fixture.category in found, (fixture.id, [(c.name, c.rules) for c in verdict.categories])


@pytest.mark.parametrize("fixture", NEGATIVE, ids=lambda f: f.id)
def test_hard_negatives_stay_below_the_threshold(fixture: Fixture, pack: RulePack) -> None:
    verdict = detect(parse(_diff((fixture,))), pack)
    assert not verdict.significant, (fixture.id, [(c.name, c.rules) for c in verdict.categories])


def test_every_cell_of_the_matrix_has_a_fixture() -> None:
    stacks = {"python", "node", "go", "java", "dotnet", "ruby", "php", "rust", "elixir"}
    categories = {"auth", "database", "api-versioning", "middleware", "dependencies"}
    cells = {(f.id.split("-")[0], f.category) for f in POSITIVE}
    assert cells >= {(s, c) for s in stacks for c in categories}
    documented = (Path(__file__).parents[1] / "docs" / "detection.md").read_text("utf-8")
    for fixture in (*POSITIVE, *NEGATIVE):
        assert f"`{fixture.id}`" in documented, fixture.id


def test_explain_names_the_file_role_and_ecosystem(pack: RulePack) -> None:
    fixture = next(f for f in POSITIVE if f.id == "ruby-database")
    verdict = detect(parse(_diff((fixture,))), pack)
    roles = {pack.roles.describe(s.path) for c in verdict.categories for s in c.signals}
    assert "migration, ruby" in roles
    document = verdict.as_dict(pack, explain=True)
    assert "migration, ruby" in str(document["categories"])
    lock = next(f for f in POSITIVE if f.id == "ruby-dependencies")
    verdict = detect(parse(_diff((lock,))), pack)
    assert {pack.roles.describe(s.path) for c in verdict.categories for s in c.signals} == {
        "lock file, ruby"
    }


def test_a_pure_move_is_no_decision_and_a_move_with_edits_is_judged_on_them(
    tmp_path: Path,
) -> None:
    from sdd.base.gitio import run_git

    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    migrations = tmp_path / "db" / "migrate"
    migrations.mkdir(parents=True)
    (migrations / "20240105_add_status.rb").write_text(
        "class AddStatus < ActiveRecord::Migration[7.1]\n  def change\n"
        "    add_column :orders, :status, :string\n  end\nend\n"
    )
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY . /app\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "start")
    (tmp_path / "ops").mkdir()
    git(tmp_path, "mv", "Dockerfile", "ops/Dockerfile")
    git(tmp_path, "mv", "db/migrate", "db/migrations_old")
    pack = load_rule_pack()
    diff = run_git(["diff", "--cached", "--no-renames", "--no-ext-diff"], tmp_path).stdout
    verdict = detect(parse(diff), pack)
    assert not verdict.significant, [(c.name, c.rules) for c in verdict.categories]
    assert verdict.files_moved == 2
    # The same move with a new column: judged on the edit alone.
    moved = tmp_path / "db" / "migrations_old" / "20240105_add_status.rb"
    moved.write_text(
        moved.read_text().replace("  end\n", "    add_column :orders, :note, :text\n  end\n")
    )
    git(tmp_path, "add", ".")
    diff = run_git(["diff", "--cached", "--no-renames", "--no-ext-diff"], tmp_path).stdout
    verdict = detect(parse(diff), pack)
    database = next(c for c in verdict.categories if c.name == "database")
    assert [s.text for s in database.signals] == ["add_column :orders, :note, :text"]


def test_evidence_is_reported_once_per_rule_path_and_line(pack: RulePack) -> None:
    fixture = F("twice", "api-versioning", "src/routes.js",
                " const router = express.Router();",
                "-router.get('/login', a); router.post('/logout', b);")  # fmt: skip
    verdict = detect(parse(_diff((fixture,))), pack)
    keys = [(s.rule, s.path, s.line) for c in verdict.categories for s in c.signals]
    assert len(keys) == len(set(keys)) and keys


def _sdd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import shutil
    import sys

    executable = shutil.which("sdd") or str(Path(sys.executable).parent / "sdd")
    return subprocess.run([executable, *args], cwd=cwd, capture_output=True, text=True, check=False)


def _big_package_lock(packages: int) -> bytes:
    lines = ["{", '  "name": "shop",', '  "lockfileVersion": 3,', '  "packages": {']
    for index in range(packages):
        lines += [
            f'    "node_modules/pkg-{index}": {{',
            f'      "version": "{index % 9}.{index % 5}.{index % 7}",',
            f'      "resolved": "https://registry.npmjs.org/pkg-{index}/-/pkg-{index}-1.0.0.tgz",',
            '      "integrity": "sha512-' + "a" * 64 + '"',
            "    },",
        ]
    lines += ["  }", "}"]
    header = (
        "diff --git a/package-lock.json b/package-lock.json\nnew file mode 100644\n"
        f"--- /dev/null\n+++ b/package-lock.json\n@@ -0,0 +1,{len(lines)} @@\n"
    )
    return (header + "\n".join("+" + line for line in lines) + "\n").encode()


@pytest.mark.slow
def test_bad_manifests_get_a_note_and_never_a_traceback(tmp_path: Path) -> None:
    cases = {
        "big.diff": (_big_package_lock(24_000), "only package versions were read"),
        "malformed.diff": (
            b"diff --git a/Gemfile.lock b/Gemfile.lock\n--- a/Gemfile.lock\n+++ b/Gemfile.lock\n"
            b"@@ -1,3 +1,3 @@\n GEM\n-    rails (7.2.1\n+    rails ((8.0.0\n   specs:\n",
            "no package version could be read",
        ),
        "latin1.diff": (
            b"diff --git a/requirements.txt b/requirements.txt\n--- a/requirements.txt\n"
            b"+++ b/requirements.txt\n@@ -1,1 +1,2 @@\n flask==3.0\n+caf\xe9-lib==1.0\n",
            "not UTF-8 text",
        ),
    }
    assert len(cases["big.diff"][0]) > 5_000_000
    for name, (content, note) in cases.items():
        (tmp_path / name).write_bytes(content)
        outcome = _sdd("adr", "detect", "--diff-file", name, cwd=tmp_path)
        assert outcome.returncode == 0, outcome.stderr
        assert note in outcome.stdout, (name, outcome.stdout)
        assert "Traceback" not in outcome.stderr + outcome.stdout


def test_a_catastrophic_configured_pattern_is_refused_by_the_cli(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "sdd.yaml").write_text(
        "version: 1\ndetect:\n  rules:\n    - id: slow.rule\n      category: auth\n"
        "      match: '(a|aa)+$'\n",
        encoding="utf-8",
    )
    (tmp_path / "x.diff").write_text(
        "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1,2 @@\n x\n+" + "a" * 40 + "!\n"
    )
    outcome = _sdd("adr", "detect", "--diff-file", "x.diff", cwd=tmp_path)
    assert outcome.returncode == 2, outcome.stdout + outcome.stderr
    assert "slow.rule" in outcome.stderr and "exponential" in outcome.stderr
    assert "Traceback" not in outcome.stderr


def test_attributes_are_code_and_trailing_comments_are_not() -> None:
    from sdd.detect.lines import code_of

    assert code_of("    #[ORM\\Column(length: 20)]") == "    #[ORM\\Column(length: 20)]"
    assert code_of("    #[derive(Debug)] struct A;") == "    #[derive(Debug)] struct A;"
    assert code_of("x = 1  # uses jwt") == "x = 1 "
    assert code_of("    # uses jwt") == ""


def test_cors_set_up_with_credentials_is_middleware_not_auth(pack: RulePack) -> None:
    setup = F("cors-setup", "middleware", "app/main.py",
              " app = FastAPI()",
              "+app.add_middleware(",
              "+    CORSMiddleware, allow_origins=origins, allow_credentials=True,",
              "+)")  # fmt: skip
    verdict = detect(parse(_diff((setup,))), pack)
    found = {c.name for c in verdict.categories if c.significant}
    assert found == {"middleware"}, [(c.name, c.rules) for c in verdict.categories]


def test_a_major_of_an_auth_library_is_a_dependency_change_not_an_auth_decision(
    pack: RulePack,
) -> None:
    bump = F("auth-major", "dependencies", "src/PublicApi/PublicApi.csproj",
             "   <ItemGroup>",
             '-    <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer"'
             ' Version="7.0.14" />',
             '+    <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer"'
             ' Version="8.0.1" />')  # fmt: skip
    verdict = detect(parse(_diff((bump,))), pack)
    found = {c.name for c in verdict.categories if c.significant}
    assert found == {"dependencies"}, [(c.name, c.rules) for c in verdict.categories]
