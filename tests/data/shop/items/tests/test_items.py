from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_create_item() -> None:
    response = client.post("/items", params={"name": "pen", "price": 2})
    assert response.status_code == 201


def test_missing_item() -> None:
    assert client.get("/items/999").status_code == 404


def test_bad_price() -> None:
    assert client.post("/items", params={"name": "pen", "price": "x"}).status_code == 422
