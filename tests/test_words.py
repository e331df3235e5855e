"""Words on the pages (docs/domain.md, 「Words on the pages」): the person a care team shares is 「患者」
everywhere but in the municipal programmes, where the programmes' word 「利用者」 is right; an account is
never 「利用者」."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A string literal of Python source holding the word (comments and docstrings aside).
LITERAL = re.compile(r"""["']([^"'\n]*利用者[^"'\n]*)["']""")
# Model names that would need a migration of their app to follow the rule: none left.
PENDING: set[tuple[str, str]] = set()
# The national standard's own item names (ケアプランデータ連携 CSV: 利用者氏名 …), kept as the standard writes
# them in the one file that lists them; the pages show them with 「患者」 (renkei.careplans.layout.Column.label).
STANDARD_ITEM_NAMES = {"renkei/careplans/layout.py"}


def _outside_programs(paths):
    return [p for p in paths if "programs" not in p.parts and "migrations" not in p.parts and p.name != "demo.py"]


def test_no_template_outside_the_programmes_says_riyousha():
    found = [str(p.relative_to(ROOT)) for p in _outside_programs((ROOT / "templates").rglob("*.html"))
             if "利用者" in p.read_text(encoding="utf-8")]
    assert found == []


def test_no_message_outside_the_programmes_says_riyousha():
    found = []
    for path in _outside_programs((ROOT / "renkei").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if name in STANDARD_ITEM_NAMES:
            continue
        found += [(name, text) for text in LITERAL.findall(path.read_text(encoding="utf-8"))
                  if (name, text) not in PENDING]
    assert found == []


def test_the_programmes_keep_their_word():
    assert "利用者" in (ROOT / "templates/programs/rescue_list.html").read_text(encoding="utf-8")
