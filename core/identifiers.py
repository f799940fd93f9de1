"""Identifiers of Chinese organisations, checked the same way wherever they are entered."""

# GB 32100-2015 (统一社会信用代码): 18 characters from this alphabet (no I, O, S, V, Z); the
# last is a check character over the first 17 with these weights, modulo 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str:
    """Why ``code`` is not a valid unified social credit code ("" when it is)."""
    if len(code) != 18:
        return "length"
    if any(ch not in CREDIT_CODE_ALPHABET for ch in code):
        return "characters"
    if credit_code_check_char(code[:17]) != code[17]:
        return "checksum"
    return ""
