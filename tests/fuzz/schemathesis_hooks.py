"""schemathesis hooks for tests/fuzz/api-fuzz.ts (loaded through SCHEMATHESIS_HOOKS).

Two things the OpenAPI document cannot tell the fuzzer:

- how to get a token: a real access token for the staff admin from Keycloak (password grant of the
  dev-only `portal-cli` client), fetched again well before it expires (the staff realm's tokens
  live 300 s) and at once when the API answers 401;
- which ids exist: the runner seeds a few accounts, sites, projects, contacts, account classes and
  a contact import and lists their ids by path parameter name in FUZZ_SEED_FILE; path parameters
  are drawn from those ids or from the schema, so the fuzzer reaches both the "found" and the
  "not found" branches.

Everything comes from the environment the runner sets: FUZZ_TOKEN_URL, FUZZ_CLIENT_ID,
FUZZ_USERNAME, FUZZ_PASSWORD, FUZZ_TOKEN_REFRESH_SECONDS, FUZZ_SEED_FILE.
"""

import json
import os

import requests
import schemathesis
from hypothesis import strategies as st

# {"kept": {parameter: [ids]}, "disposable": {...}}: DELETE gets the disposable set, so the records
# every other operation writes to are never archived under it.
_SEED_IDS: dict[str, dict[str, list[str]]] = {"kept": {}, "disposable": {}}
if os.environ.get("FUZZ_SEED_FILE"):
    with open(os.environ["FUZZ_SEED_FILE"], encoding="utf-8") as seed_file:
        _SEED_IDS = {
            kind: {name: ids for name, ids in by_name.items() if ids} for kind, by_name in json.load(seed_file).items()
        }


@schemathesis.auth(refresh_interval=int(os.environ.get("FUZZ_TOKEN_REFRESH_SECONDS", "120")))
class StaffToken:
    """Bearer token of the staff admin; schemathesis caches it for refresh_interval and refetches on 401."""

    def get(self, case, ctx):
        response = requests.post(
            os.environ["FUZZ_TOKEN_URL"],
            data={
                "grant_type": "password",
                "client_id": os.environ["FUZZ_CLIENT_ID"],
                "username": os.environ["FUZZ_USERNAME"],
                "password": os.environ["FUZZ_PASSWORD"],
            },
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook
def flatmap_path_parameters(ctx, path_parameters):
    """Half the time, replace each path parameter the runner has ids for with one of them."""
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    known = _SEED_IDS["disposable" if ctx.operation.method.upper() == "DELETE" else "kept"]
    seeded = {name: st.sampled_from(known[name]) for name in path_parameters if name in known}
    if not seeded:
        return st.just(path_parameters)
    existing = st.fixed_dictionaries(seeded).map(lambda ids: {**path_parameters, **ids})
    return st.one_of(existing, st.just(path_parameters))


# Hostile strings, like a fuzzer's dictionary: hypothesis draws NUL or a lone surrogate into a given
# short string field only rarely, and the bounded run in `npm test` has ~50 cases per operation.
# DESIGN.md rule 5: every string field rejects NUL and lone surrogates with a 4xx.
_HOSTILE_QUERY = ["\x00", "a\x00b", "\x00" * 3, "\x1b[0m", "%", "_", "\\", "'", "\u202e", "e\u0301"]
# Lone surrogates only in JSON bodies: a URL query cannot carry them (they have no UTF-8 form).
_HOSTILE_BODY = _HOSTILE_QUERY + ["\ud800", "x\udfffy", "\udc00\ud800"]


def _string_paths(value, prefix=()):
    """Paths (tuples of keys/indexes) of the string leaves of a JSON value, at most three levels deep."""
    if isinstance(value, str):
        yield prefix
    elif len(prefix) < 3 and isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*prefix, key))
    elif len(prefix) < 3 and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*prefix, index))


def _replaced(value, path, text):
    if not path:
        return text
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replaced(value[head], rest, text)}
    copy = list(value)
    copy[head] = _replaced(copy[head], rest, text)
    return copy


def _with_hostile_string(value, hostile):
    """As generated, or with one of its string leaves swapped for a hostile string (types unchanged)."""
    paths = list(_string_paths(value))
    if not paths:
        return st.just(value)
    swapped = st.tuples(st.sampled_from(paths), st.sampled_from(hostile)).map(
        lambda choice: _replaced(value, choice[0], choice[1])
    )
    return st.one_of(st.just(value), swapped)


@schemathesis.hook
def flatmap_query(ctx, query):
    return _with_hostile_string(query, _HOSTILE_QUERY) if isinstance(query, dict) else st.just(query)


def _accepts_form(ctx):
    """Whether the operation also takes a form body (the one-click unsubscribe): a form, like a URL,
    has no UTF-8 form for a lone surrogate, so only the JSON-safe hostile strings go there."""
    definition = getattr(getattr(ctx.operation, "definition", None), "raw", None) or {}
    content = (definition.get("requestBody") or {}).get("content") or {}
    return any("x-www-form-urlencoded" in media for media in content)


@schemathesis.hook
def flatmap_body(ctx, body):
    if not isinstance(body, (dict, list)):
        return st.just(body)
    return _with_hostile_string(body, _HOSTILE_QUERY if _accepts_form(ctx) else _HOSTILE_BODY)
