from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.exc import IntegrityError

from app.auth import get_current_user
from app.db import get_session
from app.models import Item

router = APIRouter()


@router.post("/items", status_code=201)
def create_item(name: str, price: float, session=Depends(get_session),
                user=Depends(get_current_user)):
    item = Item(name=name, price=price)
    session.add(item)
    try:
        session.commit()
    except IntegrityError as exc:
        raise HTTPException(status_code=409, detail=str(exc))
    return {"id": item.id, "name": item.name}


@router.get("/items/{item_id}")
def read_item(item_id: int, session=Depends(get_session)):
    item = session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="item not found")
    return {"id": item.id, "name": item.name}
