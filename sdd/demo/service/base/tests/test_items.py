from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_health() -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_create_then_list() -> None:
    assert client.post("/items/", json={"name": "bolt", "quantity": 3}).status_code == 201
    assert client.get("/items/").json() == [{"name": "bolt", "quantity": 3}]
