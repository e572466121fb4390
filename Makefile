# vos — build, test, sanitize, fuzz and bench.  See README.md.
#   make              build/libvos.a build/libvos.so build/vos
#   make test         every test; ends with "N passed, N failed"
#   make asan         the whole suite under ASan+UBSan+LSan (build-asan/)
#   make fuzz         libFuzzer targets (clang), FUZZ_SECONDS each
#   make bench        bench/ programs (BENCH_QUICK=1 for a short run)
CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN    += -Werror
endif
CFLAGS  += -std=gnu11 $(OPT) $(WARN) -fPIC -D_GNU_SOURCE -Iinclude -Isrc $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
LDLIBS  += -lpcre2-8 -lpthread -lm -ljansson -lz -larchive -lmagic -lc -ljq -lonig -lyaml

LIB_SRC := $(sort $(shell find src -name '*.c' ! -path 'src/cli/*'))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

.PHONY: all test unit behave asan fuzz bench clean deps format ldlibs
all: $(BUILD)/libvos.a $(BUILD)/libvos.so $(BUILD)/vos

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libvos.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvos.so: $(LIB_OBJ)
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/vos: $(CLI_OBJ) $(BUILD)/libvos.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libvos.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(TEST_HELPERS) $(BUILD)/libvos.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(TEST_HELPERS) $(BUILD)/libvos.a -lcmocka $(LDLIBS) $(LDFLAGS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libvos.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libvos.a $(LDLIBS) $(LDFLAGS)

test: all $(TEST_BIN)
	@BUILD=$(BUILD) CC="$(CC)" SANFLAGS="$(SANFLAGS)" scripts/run-tests $(TEST_BIN)

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

fuzz:
	$(MAKE) CC=clang BUILD=build-fuzz OPT="-O1 -g" \
	  SANFLAGS="-fsanitize=address,undefined,fuzzer-no-link" build-fuzz/libvos.a
	@mkdir -p build-fuzz/fuzz
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -std=gnu11 -O1 -g -D_GNU_SOURCE -Iinclude -Isrc -fsanitize=address,undefined,fuzzer \
	    -o build-fuzz/fuzz/$$n $$f build-fuzz/libvos.a $(LDLIBS) || exit 1; \
	  mkdir -p fuzz/corpus/$$n; \
	  build-fuzz/fuzz/$$n -max_total_time=$${FUZZ_SECONDS:-30} -max_len=4096 fuzz/corpus/$$n || exit 1; done

bench: all $(BENCH_BIN)
	@BUILD=$(BUILD) scripts/run-bench $(BENCH_BIN)

deps:
	@scripts/deps

# The libraries to link a program against libvos.a (test drivers use this).
ldlibs:
	@echo $(LDLIBS)

format:
	clang-format -i $$(find src include tests bench fuzz -name '*.[ch]')

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
