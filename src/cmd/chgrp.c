/* chgrp.c — change group ownership: GROUP (name or number) or --reference,
 * with chown's options and engine (chown.c). */
#include "cmd/cmd.h"

int chown_run(struct proc *p, int argc, char **argv, bool chgrp);

int cmd_chgrp(struct proc *p, int argc, char **argv)
{
    return chown_run(p, argc, argv, true);
}
