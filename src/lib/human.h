/* human.h — gnulib human.c: sizes as "4.0K", "1.5M", or in units of a
 * block size (du -k, df -B M, ls -s --block-size), and parsing of
 * --block-size / BLOCK_SIZE values. Same rounding as GNU (ceiling unless
 * asked otherwise). */
#ifndef VOS_LIB_HUMAN_H
#define VOS_LIB_HUMAN_H

#include <stdint.h>

struct proc;

enum {
    HUMAN_CEILING = 0,
    HUMAN_ROUND_TO_NEAREST = 1,
    HUMAN_FLOOR = 2,
    HUMAN_GROUP_DIGITS = 4,
    HUMAN_SUPPRESS_POINT_ZERO = 8,
    HUMAN_AUTOSCALE = 16,
    HUMAN_BASE_1024 = 32,
    HUMAN_SPACE_BEFORE_UNIT = 64,
    HUMAN_SI = 128,
    HUMAN_B = 256,
};

/* Longest output of human_readable, NUL included. */
#define HUMAN_BUFSIZE 64

/* n units of from_block_size, shown in units of to_block_size (or
 * autoscaled): a pointer into buf (HUMAN_BUFSIZE bytes). */
char *human_readable(uintmax_t n, char *buf, int opts, uintmax_t from_block_size,
                     uintmax_t to_block_size);

/* gnulib human_options: spec (NULL: the BLOCK_SIZE / BLOCKSIZE variables of
 * p, else 1024, 512 under POSIXLY_CORRECT) into opts and block size.
 * Returns an opt_num_status (0 ok). */
int human_options(struct proc *p, const char *spec, int *opts, uintmax_t *block_size);

#endif
