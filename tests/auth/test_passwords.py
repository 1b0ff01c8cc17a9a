"""The password policy (length and a common-password list) and the Argon2id hashing around it."""

from __future__ import annotations

import pytest

from app.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from config import ProductionConfig


@pytest.fixture(autouse=True)
def request_ctx(app):
    # A request context, not only an app context: the locale selector reads the session.
    with app.test_request_context():
        yield


def test_eleven_characters_are_refused_with_the_minimum_named():
    problem = password_problem("tulp-fiets9")
    assert problem is not None and "12" in problem


def test_twelve_characters_are_enough():
    assert password_problem("tulp-fiets-9") is None


def test_128_characters_are_allowed_and_129_refused_with_the_maximum_named():
    sentence = "de kat van de buren zit weer op ons dak en kijkt naar de vogels in de tuin "
    long = (sentence * 2)[:128]
    assert password_problem(long) is None
    problem = password_problem(long + "x")
    assert problem is not None and "128" in problem


@pytest.mark.parametrize(
    "password",
    ["qwerty123456", "password1234", "Password1234!", "iloveyou2024", "qwertyuiop12", "passwordpassword"],
)
def test_common_passwords_are_refused(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize("password", ["wachtwoord123", "Wachtwoord2024!", "welkom01welkom01"])
def test_common_dutch_passwords_are_refused(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "abababababab", "abcabcabcabc"])
def test_repetitions_are_refused(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize(
    "password", ["paarse olifant danst op het dak", "correct horse battery staple", "Mijn fiets is blauw!"]
)
def test_a_passphrase_is_accepted(password):
    assert password_problem(password) is None


def test_a_hash_is_argon2id_and_verifies_only_the_right_password():
    hashed = hash_password("paarse olifant danst op het dak")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "paarse olifant danst op het dak")
    assert not verify_password(hashed, "paarse olifant danst op het dak!")
    assert not needs_rehash(hashed)


def test_a_missing_or_broken_hash_never_verifies():
    assert not verify_password(None, "anything at all here")
    assert not verify_password("not-a-hash", "anything at all here")


# OWASP's password-storage guidance lists these Argon2id settings (KiB, passes) as equally strong,
# with one lane; anything with less memory for its passes is weaker.
_OWASP_ARGON2 = {(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)}


def test_production_hashes_passwords_at_an_owasp_argon2_setting_that_fits_a_worker():
    settings = ProductionConfig  # its defaults: no ARGON2_* variable is set for the tests
    chosen = (settings.ARGON2_MEMORY_KIB, settings.ARGON2_TIME_COST)
    assert chosen in _OWASP_ARGON2 and settings.ARGON2_PARALLELISM == 1
    # A sign-in must leave a worker (about 81 MiB after start) under 100 MiB: bench_pages measures it.
    assert settings.ARGON2_MEMORY_KIB <= 12288
