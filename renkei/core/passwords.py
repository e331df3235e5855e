"""The strong password policy's own rule, next to Django's length, common-password and similarity checks."""
from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """Require characters from at least `min_classes` of: letters, digits, symbols."""

    def __init__(self, min_classes: int = 2) -> None:
        self.min_classes = min_classes

    def _classes(self, password: str) -> int:
        return sum(
            [
                any(c.isalpha() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password: str, user: object = None) -> None:
        if self._classes(password) < self.min_classes:
            raise ValidationError(
                "パスワードには英字・数字・記号のうち%(n)d種類以上を含めてください。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"英字・数字・記号のうち{self.min_classes}種類以上を含めてください。"
