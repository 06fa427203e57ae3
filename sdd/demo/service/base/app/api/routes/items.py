from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

router = APIRouter()


class Item(BaseModel):
    name: str
    quantity: int = 0


_ITEMS: dict[str, Item] = {}


@router.get("/")
def list_items() -> list[Item]:
    return list(_ITEMS.values())


@router.post("/", status_code=201)
def create_item(item: Item) -> Item:
    if item.name in _ITEMS:
        raise HTTPException(status_code=409, detail="item exists")
    _ITEMS[item.name] = item
    return item
