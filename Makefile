# edgesim — a small, boring Makefile.
#   make            build/libedgecore.a, build/edgesim and build/libedgesim.so
#   make test       unit tests (Criterion), end-to-end CLI tests, the regression suite,
#                   pytest, the doc test (every command block of the docs runs) and
#                   fuzz-replay (the fuzz harnesses once over their committed corpus)
#   make regress    scenarios x routing policies against tests/regress/baselines.csv
#   make update-baselines   re-record those baselines on purpose (prints what changed)
#   make asan       the same tests built with ASan + UBSan (in build/asan)
#   make valgrind   the unit tests under valgrind memcheck
#   make run        the quickstart scenario into results/quickstart/
#   make bench      the benchmarks (figures printed, nothing asserted)
#   make MPI=1      build/mpi/edgesim with `edgesim sweep --mpi` (needs mpicc)
#   make PGO=1      the program with profile-guided optimisation: a slower build,
#                   a faster program, the same outputs (see PGO below)
#   make python     build/libedgesim.so, the embedding library the Python package loads
#   make install    PREFIX=/usr/local DESTDIR= : program, libraries, headers, edgecore.pc,
#                   the Python package (docs/python.md), the man page, bash completion
#   make man        docs/edgesim.1 again from the program's help texts (scripts/gen-man.sh)
#   make fuzz       the libFuzzer harnesses of tests/fuzz/, FUZZ_SECONDS (60) each,
#                   FUZZ_TARGET=csv for one (tests/fuzz/README.md)
# Overrides from the command line: CC, CFLAGS, BUILD, PREFIX, DESTDIR, SAN.
# Set-up is automatic: a missing library or tool is installed by scripts/deps.sh
# (as root), or make names the command to run. Builds are parallel (-j from the
# CPU count, unless -j or MAKEFLAGS says otherwise) and print one short line a
# target; V=1 prints the full command lines.

# make -s prints not even the short lines: make 4.3 shows -s (unlike -j) in
# MAKEFLAGS's first word, the one-letter flags, while it reads the Makefile.
SILENT := $(if $(filter -%,$(firstword $(MAKEFLAGS))),,$(findstring s,$(firstword $(MAKEFLAGS))))

# Parallel by default. Make 4.3 does not show a command line's -j in MAKEFLAGS
# while it reads the Makefile, but a -j given there still wins over this one;
# the environment's MAKEFLAGS (a sub-make's, or the user's) is looked at here.
ifeq ($(filter -j% --jobs% j%,$(MAKEFLAGS) $(shell printf '%s' "$$MAKEFLAGS")),)
  MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif
MAKEFLAGS += --no-print-directory

# V=1: full command lines; otherwise $(call quiet,TAG,WHAT) prints "  TAG WHAT"
# and the recipe line that follows it runs silently (each is one shell line).
V ?=
# a build other than build/ says so on its lines: [asan], [mpi], [pic]
VARIANT ?=
quiet = $(if $(filter 1,$(V)),,$(if $(SILENT),@,@printf '  %-3s %s%s\n' '$(1)' '$(2)' '$(if $(3)$(VARIANT), [$(strip $(VARIANT) $(3))])';))

VERSION  := 0.1.0
# MPI=1: `edgesim sweep --mpi` (docs/sweeps.md), compiled with mpicc into
# build/mpi; the default build needs no MPI.
MPI      ?=
ifeq ($(MPI),1)
  BUILD  ?= build/mpi
  CC     := mpicc
  MPIDEF := -DEDGESIM_MPI
endif
CC       ?= cc
BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
SAN      ?=
CFLAGS   ?= -O2 -g
# Link-time optimization for the program: inlining core's hot calls into the
# simulator measured +6-10% invocations/s on scenarios/scale.json. Objects are
# fat so the test binaries link without it (faster builds, same code paths).
LTO      ?= -flto=auto -ffat-lto-objects
WARN     := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla
STD      := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PKGS     := gsl libcjson libcrypto
TESTPKGS := criterion

# Set-up: scripts/deps.sh --check names the Debian packages `make`, `make run`
# and `make test` need that are missing. As root make installs them (and goes
# on); otherwise it stops with the one command to run. Once, in the top make.
ifeq ($(filter clean help deps,$(MAKECMDGOALS))$(MAKELEVEL),0)
  DEPS_MISSING := $(shell bash scripts/deps.sh --check 2>/dev/null)
  ifneq ($(DEPS_MISSING),)
    ifeq ($(shell id -u),0)
      $(info deps: installing $(DEPS_MISSING) with scripts/deps.sh)
      ifneq ($(shell bash scripts/deps.sh >&2; echo $$?),0)
        $(error scripts/deps.sh failed (its output is above))
      endif
    else
      $(error missing $(DEPS_MISSING): run  sudo scripts/deps.sh  and then make again)
    endif
  endif
endif
ifeq ($(filter clean help deps,$(MAKECMDGOALS)),)
  ifneq ($(shell pkg-config --exists $(PKGS) 2>/dev/null && echo ok),ok)
    $(error missing libraries ($(PKGS)): run  sudo scripts/deps.sh  to install them)
  endif
endif

# Intel's JCC erratum: on the Skylake-derived Xeons we run on, a jump that
# crosses or ends on a 32-byte boundary runs from the legacy decoder, and the
# event engine's hot loop swung between 79% and 104% of the reference PHOLD's
# speed with nothing but code layout changing (other objects growing). The
# assembler pads branches off those boundaries when asked; only if it can.
JCC      := $(shell $(CC) -Wa,-mbranches-within-32B-boundaries -x c -c /dev/null \
              -o /dev/null 2>/dev/null && echo -Wa,-mbranches-within-32B-boundaries)

# PGO=1: profile-guided optimisation (gcc >= 11). The program's objects are
# compiled twice: first instrumented (into $(BUILD)/pgo/gen), then, after that
# program has run scripts/pgo-train.sh (the shipped examples, briefly; not the
# scenarios `make bench` reports), optimised with the counts it wrote to
# $(BUILD)/pgo/prof. Only code layout, inlining and branch order follow the
# profile: no option here changes floating point, so every output is the same
# byte for byte (the regression suite's fingerprints hold). It pays where the
# program's speed is the point (`make PGO=1 bench`, an installed program);
# it is off by default because it doubles a clean build and makes any change
# rebuild everything (docs/architecture.md, "Building"). The sanitizer, MPI
# and other variants, the tests' own sources and the embedding library are
# never built with it.
PGO ?=
PGO_CC_OK := $(if $(PGO),$(shell $(CC) -fprofile-update=single -fprofile-partial-training \
               -dumpbase x.c -x c -c /dev/null -o /dev/null 2>/dev/null && echo 1))
ifeq ($(PGO)$(PGO_CC_OK),1)
  $(error PGO=1 needs gcc 11 or later ($(CC) does not take its options))
endif
# PGO=gen: the instrumented build (the make of $(BUILD)/pgo/gen, PGO_ROOT
# naming the build it serves). Both compiles of a source name it alike
# (-dumpbase: the source's path), so that the profile written for one is the
# profile read by the other, its static functions' included.
PGO_ROOT ?= $(BUILD)/pgo
PGO_DIR  := $(BUILD)/pgo
PGO_PROF := $(abspath $(PGO_ROOT)/prof)
ifeq ($(PGO),1)
  PGO_CFLAGS  = -fprofile-use -fprofile-partial-training -fprofile-dir=$(PGO_PROF) -dumpbase $< \
                -Wno-missing-profile
  PGO_LDFLAGS = -fprofile-use -fprofile-partial-training -fprofile-dir=$(PGO_PROF)
  PGO_STAMP  := $(PGO_DIR)/prof.stamp
else ifeq ($(PGO),gen)
  PGO_CFLAGS  = -fprofile-generate -fprofile-update=single -fprofile-dir=$(PGO_PROF) -dumpbase $<
  PGO_LDFLAGS = -fprofile-generate
endif
# The PGO mode the objects were compiled in: changing it recompiles them.
PGO_MODE := $(BUILD)/pgo-mode
ifeq ($(filter clean help deps,$(MAKECMDGOALS)),)
  $(shell mkdir -p $(BUILD) && { [ -f $(PGO_MODE) ] && [ "$$(cat $(PGO_MODE))" = "$(PGO)" ] || \
          echo "$(PGO)" >$(PGO_MODE); })
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS := $(STD) $(WARN) $(CFLAGS) $(LTO) $(JCC) $(SAN) $(MPIDEF) -iquote core -iquote sim \
              -iquote $(BUILD)/gen $(PKG_CFLAGS) \
              -DEDGESIM_VERSION='"$(VERSION)"' -MMD -MP
LDLIBS     := $(PKG_LIBS) -ldl -lm

CORE_SRC := $(sort $(wildcard core/*.c core/policies/*.c))
# core's internal helpers (double-underscore names) are not installed
PUBLIC_HEADERS := $(filter-out core/alloc.h core/capset.h core/idmap.h core/scheduler_internal.h \
                    core/util.h,\
                    $(sort $(wildcard core/*.h)))
# sim/ is grouped by role (docs/architecture.md): one folder a layer; api/ is
# the embedding API (libedgesim.so), beside cli/ at the top
SIM_DIRS := common engine input scenario output net model harness cli api
SIM_SRC  := $(filter-out sim/cli/main.c,$(sort $(foreach d,$(SIM_DIRS),$(wildcard sim/$(d)/*.c))))
TEST_SRC := $(sort $(wildcard tests/test_*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
SIM_OBJ  := $(SIM_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

LIBCORE := $(BUILD)/libedgecore.a
LIBSIM  := $(BUILD)/libedgesim.a
PROGRAM := $(BUILD)/edgesim

# The shared library for embedding (sim/api/edgesim.h; Python's ctypes loads
# it): core + sim without main, compiled position-independent into
# $(BUILD)/pic so the program's objects stay as they are. It exports only
# edgesim_* (sim/api/edgesim.map), so calls inside it bind locally and LTO
# inlines them as in the program.
PIC_OBJ := $(CORE_SRC:%.c=$(BUILD)/pic/%.o) $(SIM_SRC:%.c=$(BUILD)/pic/%.o)
SHLIB   := $(BUILD)/libedgesim.so
PYTHON  ?= /usr/bin/python3
PY_SRC  := $(sort $(wildcard python/edgesim/*.py))
# where `make install` puts the package: PREFIX's site folder for this python3
# (Debian's searches /usr/local/lib/python3.X/dist-packages and /usr/lib/...)
PYDIR   ?= $(PREFIX)/lib/python$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')/dist-packages

.PHONY: all check-layers doctest test unit e2e regress update-baselines asan valgrind run bench install clean deps help \
        python pytest fuzz fuzz-build fuzz-replay
# MPI=1 builds the program alone (the embedding library has no use for MPI)
all: $(PROGRAM) $(if $(filter 1,$(MPI)),,$(SHLIB))

$(BUILD)/%.o: %.c $(PGO_STAMP) $(PGO_MODE)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(CC) $(ALL_CFLAGS) $(PGO_CFLAGS) -c $< -o $@

# PGO (above): the instrumented program, made by a make of its own in
# $(BUILD)/pgo/gen (it knows its dependencies; nothing to do when none
# changed), then its training run, again only when it was relinked.
ifeq ($(PGO),1)
.PHONY: pgo-gen
pgo-gen:
	@$(MAKE) PGO=gen PGO_ROOT=$(PGO_DIR) BUILD=$(PGO_DIR)/gen VARIANT=pgo-gen pgo-program
$(PGO_DIR)/gen/edgesim: pgo-gen ;
$(PGO_STAMP): $(PGO_DIR)/gen/edgesim scripts/pgo-train.sh
	@rm -rf $(PGO_PROF)
	$(call quiet,RUN,scripts/pgo-train.sh,pgo-gen)sh scripts/pgo-train.sh $(PGO_DIR)/gen/edgesim
	@touch $@
else ifeq ($(PGO),gen)
.PHONY: pgo-program
pgo-program: $(PROGRAM)
	@:
endif

# The gnuplot scripts of `edgesim plot` are compiled into the program (it must
# not need the source tree): scripts/embed-gp.sh turns them into a header.
PLOT_GP := $(sort $(wildcard scripts/plots/*.gp))
$(BUILD)/gen/plot_scripts.h: $(PLOT_GP) scripts/embed-gp.sh
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)sh scripts/embed-gp.sh $(PLOT_GP) >$@.tmp && mv $@.tmp $@
$(BUILD)/sim/output/plot.o: $(BUILD)/gen/plot_scripts.h
$(filter $(BUILD)/pic/sim/output/%,$(PIC_OBJ)): $(BUILD)/gen/plot_scripts.h

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<,pic)$(CC) $(ALL_CFLAGS) -fPIC -fno-semantic-interposition -c $< -o $@

$(SHLIB): $(PIC_OBJ) sim/api/edgesim.map
	$(call quiet,LD,$@)$(CC) -shared -fPIC $(CFLAGS) $(LTO) $(WARN) $(SAN) -Wl,--version-script=sim/api/edgesim.map \
	    -Wl,-soname,libedgesim.so $(PIC_OBJ) $(LDLIBS) -o $@

python: $(SHLIB)

$(LIBCORE): $(CORE_OBJ)
	@rm -f $@
	$(call quiet,AR,$@)ar rcs $@ $^

$(LIBSIM): $(SIM_OBJ)
	@rm -f $@
	$(call quiet,AR,$@)ar rcs $@ $^

$(PROGRAM): $(BUILD)/sim/cli/main.o $(LIBSIM) $(LIBCORE)
	$(call quiet,LD,$@)$(CC) $(CFLAGS) $(LTO) $(PGO_LDFLAGS) $(WARN) $(SAN) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(LIBSIM) $(LIBCORE)
	@mkdir -p $(dir $@)
	@pkg-config --exists $(TESTPKGS) || { echo "criterion missing: run scripts/deps.sh (as root)"; exit 1; }
	$(call quiet,LD,$@)$(CC) $(ALL_CFLAGS) -fno-lto $(shell pkg-config --cflags $(TESTPKGS)) $< $(LIBSIM) $(LIBCORE) \
	    $(LDLIBS) $(shell pkg-config --libs $(TESTPKGS)) -o $@

# Unit tests: every tests/test_*.c is its own Criterion binary; tests/run-unit.sh
# runs them all and prints one closing "N passed, N failed" line. Under the
# sanitizers EDGESIM_SANITIZED=1 skips the long runs against closed forms
# (test_queueing.c): numbers the plain build checks, on code paths the other
# tests take under the sanitizers too.
unit: $(TEST_BIN) $(PROGRAM)
	@EDGESIM=$(PROGRAM) $(if $(SAN),EDGESIM_SANITIZED=1) sh tests/run-unit.sh $(TEST_BIN)

# With mpicc present, the CLI tests also check `edgesim sweep --mpi` against -j
# (tests/cli/sweep-mpi.t) with an MPI build in $(BUILD)/mpi; not under the
# sanitizers (Open MPI's own allocations would be reported as leaks).
MPICC_FOUND := $(if $(filter 1,$(MPI)),,$(if $(SAN),,$(shell command -v mpicc 2>/dev/null)))
ifneq ($(MPICC_FOUND),)
MPI_PROGRAM := $(BUILD)/mpi/edgesim
.PHONY: mpi-program
mpi-program:
	$(call quiet,MAKE,$(MPI_PROGRAM))$(MAKE) MPI=1 PGO= BUILD=$(BUILD)/mpi VARIANT=mpi $(MPI_PROGRAM)
endif

# Under the sanitizers EDGESIM_SANITIZED=1 tells the few tests that run the
# program a thousand times, or for long, to run it less (tests/README.md).
e2e: $(PROGRAM) $(if $(MPI_PROGRAM),mpi-program)
	@EDGESIM=$(PROGRAM) EDGESIM_MPI=$(abspath $(MPI_PROGRAM)) $(if $(SAN),EDGESIM_SANITIZED=1) \
	    sh tests/cli/run.sh

# The policy regression suite (tests/regress/regress.sh): fingerprints and key
# metrics of every shipped scenario under every routing policy.
regress: $(PROGRAM)
	@sh tests/regress/regress.sh $(PROGRAM) check

update-baselines: $(PROGRAM)
	@sh tests/regress/regress.sh $(PROGRAM) update

# The Python package's tests (tests/python, pytest): pytest missing is an
# error, as criterion missing is, never a silent skip. Under the sanitizers the
# library is loaded into python with the ASan runtime preloaded (leaks are not
# checked there, python's own would drown ours: test_api.c, under LSan, checks
# the C side's; nor is resident memory, which ASan's quarantine holds on to).
ASAN_RT := $(if $(SAN),$(shell $(CC) -print-file-name=libasan.so))
pytest: $(SHLIB) $(PROGRAM)
	@$(PYTHON) -c 'import pytest' 2>/dev/null || { echo "pytest missing: run scripts/deps.sh (as root)"; exit 1; }
	@EDGESIM_LIB=$(abspath $(SHLIB)) EDGESIM=$(abspath $(PROGRAM)) PYTHONPATH=python \
	    $(if $(SAN),EDGESIM_SANITIZED=1 LD_PRELOAD=$(ASAN_RT) ASAN_OPTIONS=detect_leaks=0) \
	    $(PYTHON) -m pytest -q -p no:cacheprovider tests/python


# The architecture's rules (docs/architecture.md): includes run one way down
# the layers of sim/, and no two files call each other in a loop.
check-layers: $(PROGRAM)
	@/usr/bin/python3 tests/check-layers.py $(BUILD)

# The documentation's command blocks run as written, output compared where a
# doc shows it (tests/doctest.py; the convention in tests/README.md). Against
# the build, never rebuilding it; not under the sanitizers, where it says so.
doctest: $(PROGRAM) $(SHLIB) $(if $(MPI_PROGRAM),mpi-program)
	@$(if $(SAN),echo "doctest: not run under the sanitizers (make test runs it on the plain build)",\
	    $(PYTHON) tests/doctest.py --build $(BUILD))

test: unit e2e regress check-layers pytest doctest fuzz-replay

# `make test` builds what its suites need in parallel but runs the suites one
# after another, in this order: their output stays readable, and timing-
# sensitive tests do not compete with each other for the cores.
ifneq ($(filter test,$(MAKECMDGOALS)),)
e2e: | unit
regress: | e2e
check-layers: | regress
pytest: | check-layers
doctest: | pytest
fuzz-replay: | doctest
endif

asan:
	$(call quiet,MAKE,build/asan: make test with ASan + UBSan)$(MAKE) PGO= BUILD=build/asan VARIANT=asan CFLAGS="-O1 -g -fno-omit-frame-pointer" LTO= \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

valgrind: $(TEST_BIN)
	@VALGRIND=1 EDGESIM=$(PROGRAM) sh tests/run-unit.sh $(TEST_BIN)

run: $(PROGRAM)
	$(PROGRAM) run scenarios/quickstart.json -o results/quickstart
	@echo "results/quickstart/: summary.json, series, plots/ and report.html"

bench: $(PROGRAM)
	@EDGESIM_PGO=$(PGO) sh scripts/bench.sh $(PROGRAM)
	@sh scripts/bench-net.sh $(PROGRAM)

install: $(PROGRAM) $(LIBCORE) $(SHLIB)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include/edgecore $(DESTDIR)$(PYDIR)/edgesim
	install -m 755 $(PROGRAM) $(DESTDIR)$(PREFIX)/bin/edgesim
	install -m 644 $(LIBCORE) $(DESTDIR)$(PREFIX)/lib/libedgecore.a
	install -m 755 $(SHLIB) $(DESTDIR)$(PREFIX)/lib/libedgesim.so
	install -m 644 $(PUBLIC_HEADERS) sim/api/edgesim.h $(DESTDIR)$(PREFIX)/include/edgecore/
	install -m 644 $(PY_SRC) $(DESTDIR)$(PYDIR)/edgesim/
	install -m 755 $(SHLIB) $(DESTDIR)$(PYDIR)/edgesim/libedgesim.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' edgecore.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/edgecore.pc
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 docs/edgesim.1 $(DESTDIR)$(PREFIX)/share/man/man1/edgesim.1
	install -m 644 scripts/edgesim-completion.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/edgesim

# docs/edgesim.1 is committed; tests/cli/man.t fails when it and --help disagree
.PHONY: man
man: $(PROGRAM)
	sh scripts/gen-man.sh $(PROGRAM) > docs/edgesim.1.tmp && mv docs/edgesim.1.tmp docs/edgesim.1

# Fuzzing (tests/fuzz/README.md): libFuzzer harnesses for the readers of
# hostile input, linked against the library's objects compiled with clang
# and ASan + UBSan + libFuzzer's coverage into $(FUZZ_BUILD). `make fuzz`
# runs every target (or FUZZ_TARGET=csv) for FUZZ_SECONDS each, as many at
# once as make's -j allows; a crash fails it and its input is left in
# $(FUZZ_BUILD)/crashes/TARGET/.
# gcc is the compiler -Werror guards; clang's extra warnings are shown, not fatal.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGET  ?= $(FUZZ_TARGETS)
# more libFuzzer flags, e.g. FUZZ_FLAGS="-fork=1 -ignore_crashes=1" to go on past a crash
FUZZ_FLAGS   ?=
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := $(STD) $(filter-out -Werror,$(WARN)) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
                -fsanitize=fuzzer-no-link -iquote core -iquote sim -iquote $(BUILD)/gen \
                $(PKG_CFLAGS) -DEDGESIM_VERSION='"$(VERSION)"' -MMD -MP
FUZZ_OBJ     := $(CORE_SRC:%.c=$(FUZZ_BUILD)/obj/%.o) $(SIM_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_LIB     := $(FUZZ_BUILD)/libedgesim-fuzz.a
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<,fuzz)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(filter $(FUZZ_BUILD)/obj/sim/output/%,$(FUZZ_OBJ)): $(BUILD)/gen/plot_scripts.h

$(FUZZ_LIB): $(FUZZ_OBJ)
	@rm -f $@
	$(call quiet,AR,$@)ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	$(call quiet,LD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer $< $(FUZZ_LIB) $(LDLIBS) -o $@

fuzz-build: $(FUZZ_BIN)

# One target: the committed seeds (tests/fuzz/corpus/T, read only) and what
# earlier runs found ($(FUZZ_BUILD)/corpus/T, where new inputs go); its log
# in $(FUZZ_BUILD)/T.log, one summary line printed, the log's end on a crash.
fuzz-run-%: $(FUZZ_BUILD)/fuzz_%
	@mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/crashes/$*
	@touch $(FUZZ_BUILD)/$*.start; \
	$(FUZZ_BUILD)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_BUILD)/crashes/$*/ $(FUZZ_FLAGS) \
	    $(FUZZ_BUILD)/corpus/$* tests/fuzz/corpus/$* </dev/null >$(FUZZ_BUILD)/$*.log 2>&1; \
	rc=$$?; new=$$(find $(FUZZ_BUILD)/crashes/$* -type f -newer $(FUZZ_BUILD)/$*.start); \
	if [ $$rc -eq 0 ] && [ -z "$$new" ]; then \
	    sh tests/fuzz/summary.sh $* $(FUZZ_BUILD)/$*.log $(FUZZ_SECONDS) 0; \
	else \
	    grep -A 30 -m 1 -E 'ERROR|runtime error|^==[0-9]+==' $(FUZZ_BUILD)/$*.log || tail -n 30 $(FUZZ_BUILD)/$*.log; \
	    echo "fuzz $*: FAILED (exit $$rc); log $(FUZZ_BUILD)/$*.log; inputs:" $$new; \
	    exit 1; \
	fi

fuzz: $(FUZZ_TARGET:%=fuzz-run-%)

# The committed corpus replayed (tests/fuzz/replay.c): each harness built with
# this build's compiler and flags (under `make asan`, ASan + UBSan) and run
# once over every file of tests/fuzz/corpus/TARGET/; part of `make test`, so
# the seeds and past findings are checked on every run, deterministically.
REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay/%)
$(BUILD)/fuzz-replay/%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIBSIM) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(CC) $(ALL_CFLAGS) -fno-lto tests/fuzz/replay.c $< $(LIBSIM) $(LIBCORE) \
	    $(LDLIBS) -o $@

fuzz-replay: $(REPLAY_BIN)
	@for t in $(FUZZ_TARGETS); do \
	    $(BUILD)/fuzz-replay/$$t $$t tests/fuzz/corpus/$$t/* || { echo "fuzz-replay $$t: FAILED"; exit 1; }; \
	done

deps:
	sh scripts/deps.sh

clean:
	rm -rf build

# test binaries too: a change to tests/support.h rebuilds every test that uses it
-include $(CORE_OBJ:.o=.d) $(SIM_OBJ:.o=.d) $(BUILD)/sim/cli/main.d $(TEST_BIN:=.d) $(PIC_OBJ:.o=.d) \
           $(FUZZ_OBJ:.o=.d) $(FUZZ_BIN:=.d)
