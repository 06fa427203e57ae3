from fastapi import FastAPI

from app.api.routes import items

app = FastAPI(title="Inventory service")
app.include_router(items.router, prefix="/items", tags=["items"])


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
