from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.crm.models import SystemUser
from app.crm.records import create_user
from app.db import Database, open_database


@pytest.fixture
def crm_database(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path}/crm.sqlite3", "crm")
    yield database
    database.dispose()


@pytest.fixture
def crm_session(crm_database: Database) -> Iterator[Session]:
    with crm_database.sessions() as session:
        yield session


@pytest.fixture
def local_session(tmp_path: Path) -> Iterator[Session]:
    database = open_database(f"sqlite:///{tmp_path}/local.sqlite3", "local")
    with database.sessions() as session:
        yield session
    database.dispose()


@pytest.fixture
def anna(crm_session: Session) -> SystemUser:
    return create_user(crm_session, "Anna Nowak", ["anna.nowak@brightwave.test"])
