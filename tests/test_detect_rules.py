"""Each category on small synthetic diffs in Python, JS/TS, Go and Java, and the near misses."""

from __future__ import annotations

import pytest

from sdd.base.globs import GlobSet
from sdd.detect.diff import parse
from sdd.detect.engine import detect
from sdd.detect.rulepack import load_rule_pack
from sdd.detect.source import trailer_numbers
from sdd.detect.verdict import Coverage, Verdict

Change = tuple[list[str], list[str]]  # removed lines, added lines


def _diff(files: dict[str, Change], *, new: set[str] = frozenset()) -> bytes:  # type: ignore[assignment]
    out = []
    for path, (removed, added) in files.items():
        out.append(f"diff --git a/{path} b/{path}\n")
        if path in new:
            out.append(f"new file mode 100644\n--- /dev/null\n+++ b/{path}\n")
            out.append(f"@@ -0,0 +1,{len(added)} @@\n")
        else:
            out.append(f"--- a/{path}\n+++ b/{path}\n")
            out.append(f"@@ -10,{len(removed) + 1} +10,{len(added) + 1} @@\n unchanged context\n")
        out.extend(f"-{line}\n" for line in removed)
        out.extend(f"+{line}\n" for line in added)
    return "".join(out).encode("utf-8")


def _verdict(files: dict[str, Change], **kwargs: object) -> Verdict:
    return detect(parse(_diff(files, **kwargs)), load_rule_pack())  # type: ignore[arg-type]


def _significant(files: dict[str, Change], **kwargs: object) -> set[str]:
    return {c.name for c in _verdict(files, **kwargs).categories if c.significant}


POSITIVE = [
    # ---------------------------------------------------------------- auth
    (
        "auth",
        {
            "app/api/deps.py": (
                [],
                [
                    "from fastapi.security import OAuth2PasswordBearer",
                    'oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")',
                ],
            )
        },
    ),
    (
        "auth",
        {
            "src/config/passport.js": (
                [],
                [
                    "const { Strategy: JwtStrategy } = require('passport-jwt');",
                    "passport.use(new JwtStrategy(options, verify));",
                ],
            )
        },
    ),
    (
        "auth",
        {
            "src/users/users.controller.ts": (
                [],
                ["import { AuthGuard } from '@nestjs/passport';", "@UseGuards(AuthGuard('jwt'))"],
            )
        },
    ),
    (
        "auth",
        {
            "internal/token/issue.go": (
                [],
                [
                    '\t"github.com/golang-jwt/jwt/v5"',
                    "\ttoken := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)",
                ],
            )
        },
    ),
    (
        "auth",
        {
            "src/main/java/com/acme/config/WebConfig.java": (
                [],
                [
                    "@EnableWebSecurity",
                    "public SecurityFilterChain filterChain(HttpSecurity http) throws Exception {",
                ],
            )
        },
    ),
    (
        "auth",
        {
            "backend/app/api/routes/items.py": (
                [
                    "    if not current_user.is_superuser and item.owner_id != current_user.id:",
                    '        raise HTTPException(status_code=403, detail="Not enough permissions")',
                ],
                [],
            )
        },
    ),
    # ---------------------------------------------------------------- database
    (
        "database",
        {
            "alembic/versions/3f2a_add_email.py": (
                [],
                ["def upgrade():", "    op.add_column('user', sa.Column('email', sa.String()))"],
            )
        },
    ),
    (
        "database",
        {
            "shop/migrations/0002_order_total.py": (
                [],
                ["        migrations.AddField(", "            model_name='order',"],
            )
        },
    ),
    (
        "database",
        {
            "src/models/order.model.js": (
                [],
                [
                    "const orderSchema = new mongoose.Schema({",
                    "  total: { type: Number, required: true },",
                    "module.exports = mongoose.model('Order', orderSchema);",
                ],
            )
        },
    ),
    (
        "database",
        {
            "internal/store/models.go": (
                [],
                ["type Order struct {", "\tgorm.Model", "\tdb.AutoMigrate(&Order{})"],
            )
        },
    ),
    (
        "database",
        {
            "src/main/java/com/acme/domain/Order.java": (
                [],
                ["@Entity", '@Table(name = "orders")', "public class Order {"],
            )
        },
    ),
    (
        "database",
        {
            "db/migration/V2__add_total.sql": (
                [],
                ["ALTER TABLE orders ADD COLUMN total numeric NOT NULL DEFAULT 0;"],
            )
        },
    ),
    (
        "database",
        {
            "app/core/db.py": (
                ["engine = create_engine(settings.SQLALCHEMY_DATABASE_URI)"],
                ["engine = create_async_engine(settings.DATABASE_URL)"],
            ),
            ".env.example": ([], ["DATABASE_URL=postgresql+asyncpg://app@localhost/app"]),
        },
    ),
    # ---------------------------------------------------------------- api-versioning
    (
        "api-versioning",
        {"src/app.js": (["app.use('/v1', routes);"], ["app.use('/v2', routes);"])},
    ),
    (
        "api-versioning",
        {"app/core/config.py": ([], ['    API_V1_STR: str = "/api/v1"'])},
    ),
    (
        "api-versioning",
        {"app/api/routes/items.py": (['@router.delete("/items/{item_id}")'], [])},
    ),
    (
        "api-versioning",
        {"cmd/server/routes.go": ([], ['\tv2 := r.Group("/api/v2")'])},
    ),
    (
        "api-versioning",
        {
            "src/main/java/com/acme/web/OrderController.java": (
                ['@RequestMapping("/api/v1/orders")'],
                ['@RequestMapping("/api/v2/orders")'],
            )
        },
    ),
    (
        "api-versioning",
        {"api/openapi.yaml": (["  /orders/{id}:", "    get:"], [])},
    ),
    (
        "api-versioning",
        {"shop/urls.py": (['    path("orders/<int:pk>/", views.order_detail),'], [])},
    ),
    # ---------------------------------------------------------------- middleware
    (
        "middleware",
        {"app/main.py": ([], ["app.add_middleware(GZipMiddleware, minimum_size=1000)"])},
    ),
    ("middleware", {"src/app.ts": ([], ["app.use(helmet());"])}),
    ("middleware", {"cmd/server/main.go": ([], ["\tr.Use(gin.Logger())"])}),
    (
        "middleware",
        {
            "src/main/java/com/acme/web/RequestIdFilter.java": (
                [],
                ["public class RequestIdFilter extends OncePerRequestFilter {"],
            )
        },
    ),
    (
        "middleware",
        {"mysite/settings.py": ([], ['    "corsheaders.middleware.CorsMiddleware",'])},
    ),
    (
        "middleware",
        {"src/main.ts": ([], ["  app.useGlobalInterceptors(new LoggingInterceptor());"])},
    ),
    # ---------------------------------------------------------------- dependencies
    (
        "dependencies",
        {"pyproject.toml": ([], ['    "fastapi>=0.110",'])},
    ),
    (
        "dependencies",
        {
            "package.json": (
                ['    "moment": "^2.29.4",'],
                ['    "dayjs": "^1.11.10",'],
            )
        },
    ),
    (
        "dependencies",
        {
            "go.mod": (
                ["\tgithub.com/labstack/echo v3.3.10+incompatible"],
                ["\tgithub.com/labstack/echo/v4 v4.11.4"],
            )
        },
    ),
]


@pytest.mark.parametrize(("category", "files"), POSITIVE)
def test_category_is_detected(category: str, files: dict[str, Change]) -> None:
    verdict = _verdict(files)
    assert category in {c.name for c in verdict.categories if c.significant}, [
        (c.name, c.score, [s.rule for s in c.signals]) for c in verdict.categories
    ]
    result = next(c for c in verdict.categories if c.name == category)
    for signal in result.signals:
        assert signal.path in files
        assert signal.line >= 1
        assert signal.text


NEGATIVE = [
    (
        "a keyword only in comments",
        {
            "app/main.py": ([], ["# TODO: app.add_middleware(CORSMiddleware) once we have users"]),
            "src/app.js": ([], ["// passport.use(new JwtStrategy(opts, verify)); later"]),
            "internal/db.go": ([], ["\t// db.AutoMigrate(&User{}) when the schema settles"]),
        },
    ),
    (
        "a keyword only in tests",
        {
            "tests/test_auth.py": ([], ["import jwt", "token = jwt.encode({'sub': 1}, 'k')"]),
            "src/auth/auth.service.spec.ts": ([], ["passport.use(new JwtStrategy(o, v));"]),
            "internal/store/store_test.go": ([], ["\tdb.AutoMigrate(&User{})"]),
            "src/test/java/com/acme/SecurityTest.java": ([], ["@EnableWebSecurity"]),
        },
    ),
    (
        "documentation and CI only",
        {
            "README.md": ([], ["Run `CREATE TABLE users` and add `app.use(helmet())`."]),
            "docs/security.md": ([], ["We use passport.use(new JwtStrategy())."]),
            ".github/workflows/ci.yml": ([], ["      image: postgres:16"]),
        },
    ),
    (
        "formatting only",
        {
            "app/main.py": (
                ["    app.add_middleware(", "        CORSMiddleware,", "    )"],
                ["app.add_middleware(", "    CORSMiddleware,", ")"],
            )
        },
    ),
    (
        "moved code",
        {
            "src/app.js": (["app.use(helmet());"], []),
            "src/server.js": ([], ["app.use(helmet());"]),
        },
    ),
    (
        "a patch bump, a dev tool and a lock file",
        {
            "package.json": (
                ['    "express": "^4.17.1",'],
                ['    "express": "^4.17.3",', '    "eslint-plugin-x": "^1.0.0",'],
            ),
            "yarn.lock": (["express@^4.17.1:"], ["express@^4.17.3:"]),
        },
    ),
    (
        "a router prefix without a version",
        {
            "app/api/routes/users.py": (
                ["router = APIRouter()"],
                ['router = APIRouter(prefix="/users")'],
            )
        },
    ),
    (
        "one weak hint only",
        {"app/auth/utils.py": (["    return value"], ["    return value.strip()"])},
    ),
    (
        "getters that look like routes, and a settings getter",
        {
            "app/client.py": (['token = r.get("token")', 'user = g.get("user")'], []),
            "src/server.js": (["const env = app.get('env');"], []),
        },
    ),
    (
        "a schema and table helpers that are not a database",
        {
            "src/editor/schema.ts": ([], ["export const schema = new Schema({ nodes, marks });"]),
            "src/report/table.py": ([], ["    rows = create_table(data, add_index=True)"]),
            "src/grid/columns.ts": ([], ["grid.addColumn({ field: 'name' });"]),
        },
    ),
    (
        "a refactor around an existing token helper",
        {
            "app/core/security.py": (
                ["    return create_access_token(subject=user.id)"],
                ["    return create_access_token(subject=str(user.id))"],
            )
        },
    ),
    (
        "a Dockerfile stage renamed",
        {"Dockerfile": (["FROM build AS test"], ["FROM build AS check"])},
    ),
]


@pytest.mark.parametrize(("reason", "files"), NEGATIVE)
def test_near_misses_are_not_significant(reason: str, files: dict[str, Change]) -> None:
    verdict = _verdict(files)
    assert not verdict.significant, (reason, [(c.name, c.score) for c in verdict.categories])


def test_a_keyword_in_the_commit_subject_is_no_evidence() -> None:
    data = (
        b"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
        b"Subject: [PATCH] Add JWT authentication and a database migration\n\n---\n"
        b"diff --git a/src/email.js b/src/email.js\n--- a/src/email.js\n+++ b/src/email.js\n"
        b"@@ -1 +1 @@\n-const text = 'Helo';\n+const text = 'Hello';\n"
    )
    assert not detect(parse(data), load_rule_pack()).significant


def test_one_weak_hint_stays_below_the_threshold_and_explain_shows_it() -> None:
    verdict = _verdict({"app/auth/utils.py": (["    return value"], ["    return value.strip()"])})
    [auth] = verdict.categories
    assert auth.name == "auth" and auth.score == 1 and not auth.significant
    assert verdict.as_dict(load_rule_pack(), explain=True)["categories"]
    assert verdict.as_dict(load_rule_pack(), explain=False)["categories"] == []


def test_evidence_points_at_the_added_line() -> None:
    verdict = _verdict({"app/main.py": ([], ["x = 1", "app.add_middleware(GZipMiddleware)"])})
    [middleware] = [c for c in verdict.categories if c.name == "middleware"]
    [signal] = [s for s in middleware.signals if s.rule == "middleware.registration"]
    assert (signal.path, signal.line, signal.side) == ("app/main.py", 12, "added")
    assert signal.text == "app.add_middleware(GZipMiddleware)"


def test_covered_signals_are_shown_but_not_suggested() -> None:
    files = {"app/main.py": ([], ["app.add_middleware(GZipMiddleware)"])}
    pack = load_rule_pack()
    patch = parse(_diff(files))
    covered = detect(patch, pack, Coverage(((7, GlobSet(["app/**"])),)))
    assert covered.significant and not covered.suggest
    assert covered.covered_by == (7,)
    assert covered.message(pack) is None
    by_trailer = detect(patch, pack, Coverage((), (9,)))
    assert not by_trailer.suggest and by_trailer.covered_by == (9,)
    uncovered = detect(patch, pack, Coverage(((7, GlobSet(["other/**"])),)))
    assert uncovered.suggest


def test_the_suggestion_uses_the_spec_kit_plus_wording() -> None:
    pack = load_rule_pack()
    verdict = _verdict({"app/main.py": ([], ["app.add_middleware(GZipMiddleware)"])})
    message = verdict.message(pack)
    assert message is not None
    assert message.startswith("📋 Architectural decision detected: ")
    assert " — Document reasoning and tradeoffs? Run `/sp.adr " in message
    assert message.endswith(f"`/sp.adr {verdict.title(pack)}`")


def test_trailers_name_adr_numbers() -> None:
    messages = ["Subject\n\nBody\n\nADR: 0031\nSigned-off-by: x", "Other\n\nadr: ADR-7, 12"]
    assert trailer_numbers(messages) == (31, 7, 12)
    assert trailer_numbers(["no trailer here"]) == ()


def test_a_case_insensitive_project_rule_fires_on_camel_case() -> None:
    """The literal prefilter must never hide a line the rule's own expression matches."""
    pack = load_rule_pack(
        extra_rules=[
            {
                "id": "payments.gateway",
                "category": "payments",
                "paths": ["*.py"],
                "match": r"(?i)\bpaymentgateway\(",
                "weight": 3,
            }
        ]
    )
    diff = _diff({"app/billing.py": ([], ["gw = PaymentGateway(key)", "x = paymentGATEWAY(k)"])})
    verdict = detect(parse(diff), pack)
    signals = [(s.rule, s.line) for c in verdict.categories for s in c.signals]
    assert signals == [("payments.gateway", 11), ("payments.gateway", 12)]
