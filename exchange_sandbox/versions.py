"""Which Exchange the sandbox claims to be, and which RequestServerVersion values it accepts.

Every value of the schema's ExchangeVersionType is accepted by the builds that know it: an
Exchange 2016 server takes everything from Exchange2007 to V2017_07_11, Exchange Online
everything up to V2018_01_08, and an Exchange 2010 SP2 server refuses Exchange2013 with
ErrorInvalidServerVersion (which is how clients such as exchangelib find the newest version a
server speaks). A value no schema knows is a schema violation.
"""

from __future__ import annotations

from dataclasses import dataclass

from .xmlkit import TYPES_NS

Build = tuple[int, int, int]

# (RequestServerVersion value, the first build that accepts it), oldest first. Exchange2009 and
# Exchange2012 are pre-release names the 2010 and 2013 schemas kept; Exchange2015_SP1 is what
# clients (exchangelib's version table) fall back to between Exchange2016 and Exchange2015.
SCHEMA_VERSIONS: tuple[tuple[str, Build], ...] = (
    ("Exchange2007", (8, 0, 0)),
    ("Exchange2007_SP1", (8, 1, 0)),
    ("Exchange2009", (14, 0, 0)),
    ("Exchange2010", (14, 0, 0)),
    ("Exchange2010_SP1", (14, 1, 0)),
    ("Exchange2010_SP2", (14, 2, 0)),
    ("Exchange2012", (15, 0, 0)),
    ("Exchange2013", (15, 0, 0)),
    ("Exchange2013_SP1", (15, 0, 847)),
    ("Exchange2015", (15, 1, 0)),
    ("Exchange2015_SP1", (15, 1, 0)),
    ("Exchange2016", (15, 1, 0)),
    ("V2015_10_05", (15, 1, 0)),
    ("V2016_01_06", (15, 1, 0)),
    ("V2016_04_13", (15, 1, 0)),
    ("V2016_07_13", (15, 1, 0)),
    ("V2016_10_10", (15, 1, 0)),
    ("V2017_01_07", (15, 1, 0)),
    ("V2017_04_14", (15, 1, 0)),
    ("V2017_07_11", (15, 1, 0)),
    ("V2017_10_09", (15, 20, 0)),
    ("V2018_01_08", (15, 20, 0)),
)
_FIRST_BUILD = dict(SCHEMA_VERSIONS)
# The names a server lists in its autodiscover EwsSupportedSchemas setting.
_ADVERTISED = frozenset(
    name
    for name, _ in SCHEMA_VERSIONS
    if name.startswith("Exchange") and name not in ("Exchange2009", "Exchange2012")
)


@dataclass(frozen=True)
class ServerVersion:
    """What ServerVersionInfo reports. The default is Exchange 2016 CU23."""

    major: int = 15
    minor: int = 1
    build: int = 2507
    revision: int = 6
    version: str = "V2017_07_11"

    def header(self) -> str:
        return (
            f'<h:ServerVersionInfo xmlns:h="{TYPES_NS}" MajorVersion="{self.major}"'
            f' MinorVersion="{self.minor}" MajorBuildNumber="{self.build}"'
            f' MinorBuildNumber="{self.revision}" Version="{self.version}"/>'
        )

    @property
    def build_text(self) -> str:
        return f"{self.major}.{self.minor}.{self.build}.{self.revision}"

    def accepts(self, request_version: str) -> bool:
        """Whether this build serves requests for a RequestServerVersion the schema knows."""
        return _FIRST_BUILD[request_version] <= (self.major, self.minor, self.build)

    @property
    def supported_schemas(self) -> list[str]:
        return [name for name, _ in SCHEMA_VERSIONS if name in _ADVERTISED and self.accepts(name)]


def is_schema_version(value: str) -> bool:
    return value in _FIRST_BUILD


EXCHANGE_2010_SP2 = ServerVersion(14, 2, 247, 5, "Exchange2010_SP2")
EXCHANGE_2013_SP1 = ServerVersion(15, 0, 847, 32, "V2_10")
EXCHANGE_2016 = ServerVersion()
EXCHANGE_2019 = ServerVersion(15, 2, 1544, 4, "V2017_07_11")
EXCHANGE_ONLINE = ServerVersion(15, 20, 8769, 21, "V2018_01_08")
