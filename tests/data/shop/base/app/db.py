from sqlalchemy.orm import DeclarativeBase, Session


class Base(DeclarativeBase):
    pass


def get_session() -> Session:
    raise NotImplementedError
