/* stty.c — terminal settings. The VM has no terminals: after the
 * arguments are checked like GNU stty does (option conflicts, unknown
 * settings, missing arguments), the device (stdin or -F DEVICE) is found
 * not to be a tty: "Inappropriate ioctl for device", status 1. */
#include "cmd/cmd.h"

#include <fcntl.h>

static const char stty_help[] =
    "Usage: %s [-F DEVICE | --file=DEVICE] [SETTING]...\n"
    "  or:  %s [-F DEVICE | --file=DEVICE] [-a|--all]\n"
    "  or:  %s [-F DEVICE | --file=DEVICE] [-g|--save]\n"
    "Print or change terminal characteristics.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a, --all          print all current settings in human-readable form\n"
    "  -g, --save         print all current settings in a stty-readable form\n"
    "  -F, --file=DEVICE  open and use the specified DEVICE instead of stdin\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Optional - before SETTING indicates negation.  An * marks non-POSIX\n"
    "settings.  The underlying system defines which settings are available.\n"
    "\n"
    "Special characters:\n"
    " * discard CHAR  CHAR will toggle discarding of output\n"
    "   eof CHAR      CHAR will send an end of file (terminate the input)\n"
    "   eol CHAR      CHAR will end the line\n"
    " * eol2 CHAR     alternate CHAR for ending the line\n"
    "   erase CHAR    CHAR will erase the last character typed\n"
    "   intr CHAR     CHAR will send an interrupt signal\n"
    "   kill CHAR     CHAR will erase the current line\n"
    " * lnext CHAR    CHAR will enter the next character quoted\n"
    "   quit CHAR     CHAR will send a quit signal\n"
    " * rprnt CHAR    CHAR will redraw the current line\n"
    "   start CHAR    CHAR will restart the output after stopping it\n"
    "   stop CHAR     CHAR will stop the output\n"
    "   susp CHAR     CHAR will send a terminal stop signal\n"
    " * swtch CHAR    CHAR will switch to a different shell layer\n"
    " * werase CHAR   CHAR will erase the last word typed\n"
    "\n"
    "Special settings:\n"
    "   N             set the input and output speeds to N bauds\n"
    " * cols N        tell the kernel that the terminal has N columns\n"
    " * columns N     same as cols N\n"
    " * [-]drain      wait for transmission before applying settings (on by default)\n"
    "   ispeed N      set the input speed to N\n"
    " * line N        use line discipline N\n"
    "   min N         with -icanon, set N characters minimum for a completed read\n"
    "   ospeed N      set the output speed to N\n"
    " * rows N        tell the kernel that the terminal has N rows\n"
    " * size          print the number of rows and columns according to the kernel\n"
    "   speed         print the terminal speed\n"
    "   time N        with -icanon, set read timeout of N tenths of a second\n"
    "\n"
    "Control settings:\n"
    "   [-]clocal     disable modem control signals\n"
    "   [-]cread      allow input to be received\n"
    " * [-]crtscts    enable RTS/CTS handshaking\n"
    "   csN           set character size to N bits, N in [5..8]\n"
    "   [-]cstopb     use two stop bits per character (one with '-')\n"
    "   [-]hup        send a hangup signal when the last process closes the tty\n"
    "   [-]hupcl      same as [-]hup\n"
    "   [-]parenb     generate parity bit in output and expect parity bit in input\n"
    "   [-]parodd     set odd parity (or even parity with '-')\n"
    " * [-]cmspar     use \"stick\" (mark/space) parity\n"
    "\n"
    "Input settings:\n"
    "   [-]brkint     breaks cause an interrupt signal\n"
    "   [-]icrnl      translate carriage return to newline\n"
    "   [-]ignbrk     ignore break characters\n"
    "   [-]igncr      ignore carriage return\n"
    "   [-]ignpar     ignore characters with parity errors\n"
    " * [-]imaxbel    beep and do not flush a full input buffer on a character\n"
    "   [-]inlcr      translate newline to carriage return\n"
    "   [-]inpck      enable input parity checking\n"
    "   [-]istrip     clear high (8th) bit of input characters\n"
    " * [-]iutf8      assume input characters are UTF-8 encoded\n"
    " * [-]iuclc      translate uppercase characters to lowercase\n"
    " * [-]ixany      let any character restart output, not only start character\n"
    "   [-]ixoff      enable sending of start/stop characters\n"
    "   [-]ixon       enable XON/XOFF flow control\n"
    "   [-]parmrk     mark parity errors (with a 255-0-character sequence)\n"
    "   [-]tandem     same as [-]ixoff\n"
    "\n"
    "Output settings:\n"
    " * bsN           backspace delay style, N in [0..1]\n"
    " * crN           carriage return delay style, N in [0..3]\n"
    " * ffN           form feed delay style, N in [0..1]\n"
    " * nlN           newline delay style, N in [0..1]\n"
    " * [-]ocrnl      translate carriage return to newline\n"
    " * [-]ofdel      use delete characters for fill instead of NUL characters\n"
    " * [-]ofill      use fill (padding) characters instead of timing for delays\n"
    " * [-]olcuc      translate lowercase characters to uppercase\n"
    " * [-]onlcr      translate newline to carriage return-newline\n"
    " * [-]onlret     newline performs a carriage return\n"
    " * [-]onocr      do not print carriage returns in the first column\n"
    "   [-]opost      postprocess output\n"
    " * tabN          horizontal tab delay style, N in [0..3]\n"
    " * tabs          same as tab0\n"
    " * -tabs         same as tab3\n"
    " * vtN           vertical tab delay style, N in [0..1]\n"
    "\n"
    "Local settings:\n"
    "   [-]crterase   echo erase characters as backspace-space-backspace\n"
    " * crtkill       kill all line by obeying the echoprt and echoe settings\n"
    " * -crtkill      kill all line by obeying the echoctl and echok settings\n"
    " * [-]ctlecho    echo control characters in hat notation ('^c')\n"
    "   [-]echo       echo input characters\n"
    " * [-]echoctl    same as [-]ctlecho\n"
    "   [-]echoe      same as [-]crterase\n"
    "   [-]echok      echo a newline after a kill character\n"
    " * [-]echoke     same as [-]crtkill\n"
    "   [-]echonl     echo newline even if not echoing other characters\n"
    " * [-]echoprt    echo erased characters backward, between '\\' and '/'\n"
    " * [-]extproc    enable \"LINEMODE\"; useful with high latency links\n"
    " * [-]flusho     discard output\n"
    "   [-]icanon     enable special characters: erase, kill, werase, rprnt\n"
    "   [-]iexten     enable non-POSIX special characters\n"
    "   [-]isig       enable interrupt, quit, and suspend special characters\n"
    "   [-]noflsh     disable flushing after interrupt and quit special characters\n"
    " * [-]prterase   same as [-]echoprt\n"
    " * [-]tostop     stop background jobs that try to write to the terminal\n"
    " * [-]xcase      with icanon, escape with '\\' for uppercase characters\n"
    "\n"
    "Combination settings:\n"
    " * [-]LCASE      same as [-]lcase\n"
    "   cbreak        same as -icanon\n"
    "   -cbreak       same as icanon\n"
    "   cooked        same as brkint ignpar istrip icrnl ixon opost isig\n"
    "                 icanon, eof and eol characters to their default values\n"
    "   -cooked       same as raw\n"
    "   crt           same as echoe echoctl echoke\n"
    "   dec           same as echoe echoctl echoke -ixany intr ^c erase 0177\n"
    "                 kill ^u\n"
    " * [-]decctlq    same as [-]ixany\n"
    "   ek            erase and kill characters to their default values\n"
    "   evenp         same as parenb -parodd cs7\n"
    "   -evenp        same as -parenb cs8\n"
    " * [-]lcase      same as xcase iuclc olcuc\n"
    "   litout        same as -parenb -istrip -opost cs8\n"
    "   -litout       same as parenb istrip opost cs7\n"
    "   nl            same as -icrnl -onlcr\n"
    "   -nl           same as icrnl -inlcr -igncr onlcr -ocrnl -onlret\n"
    "   oddp          same as parenb parodd cs7\n"
    "   -oddp         same as -parenb cs8\n"
    "   [-]parity     same as [-]evenp\n"
    "   pass8         same as -parenb -istrip cs8\n"
    "   -pass8        same as parenb istrip cs7\n"
    "   raw           same as -ignbrk -brkint -ignpar -parmrk -inpck -istrip\n"
    "                 -inlcr -igncr -icrnl -ixon -ixoff -icanon -opost\n"
    "                 -isig -iuclc -ixany -imaxbel -xcase min 1 time 0\n"
    "   -raw          same as cooked\n"
    "   sane          same as cread -ignbrk brkint -inlcr -igncr icrnl\n"
    "                 icanon iexten echo echoe echok -echonl -noflsh\n"
    "                 -ixoff -iutf8 -iuclc -ixany imaxbel -xcase -olcuc -ocrnl\n"
    "                 opost -ofill onlcr -onocr -onlret nl0 cr0 tab0 bs0 vt0 ff0\n"
    "                 isig -tostop -ofdel -echoprt echoctl echoke -extproc -flusho,\n"
    "                 all special characters to their default values\n"
    "\n"
    "Handle the tty line connected to standard input.  Without arguments,\n"
    "prints baud rate, line discipline, and deviations from stty sane.  In\n"
    "settings, CHAR is taken literally, or coded as in ^c, 0x37, 0177 or\n"
    "127; special values ^- or undef used to disable special characters.\n"
    "\n"
    COREUTILS_HELP_TAIL("stty", "stty");

static const char *const arg_settings[] = {
    "discard", "eof",    "eol",   "eol2", "erase",  "intr",  "kill",   "lnext",
    "quit",    "rprnt",  "start", "stop", "susp",   "swtch", "werase", "cols",
    "columns", "ispeed", "line",  "min",  "ospeed", "rows",  "time",   NULL};
/* Settings that take a '-' prefix. */
static const char *const rev_settings[] = {
    "drain",  "clocal",   "cread",    "crtscts", "cstopb",  "hup",     "hupcl",  "parenb",
    "parodd", "cmspar",   "brkint",   "icrnl",   "ignbrk",  "igncr",   "ignpar", "imaxbel",
    "inlcr",  "inpck",    "istrip",   "iutf8",   "iuclc",   "ixany",   "ixoff",  "ixon",
    "parmrk", "tandem",   "ocrnl",    "ofdel",   "ofill",   "olcuc",   "onlcr",  "onlret",
    "onocr",  "opost",    "crterase", "ctlecho", "echo",    "echoctl", "echoe",  "echok",
    "echoke", "echonl",   "echoprt",  "extproc", "flusho",  "icanon",  "iexten", "isig",
    "noflsh", "prterase", "tostop",   "xcase",   "decctlq", "lcase",   "LCASE",  "cbreak",
    "cooked", "evenp",    "oddp",     "parity",  "pass8",   "raw",     "nl",     "litout",
    "tabs",   "prterase", NULL};
static const char *const plain_settings[] = {
    "size", "speed", "cs5",     "cs6", "cs7", "cs8", "bs0",  "bs1",  "cr0",  "cr1",
    "cr2",  "cr3",   "ff0",     "ff1", "nl0", "nl1", "tab0", "tab1", "tab2", "tab3",
    "vt0",  "vt1",   "crtkill", "crt", "dec", "ek",  "sane", "exta", "extb", NULL};
static const char *const speeds[] = {
    "0",       "50",      "75",      "110",     "134",     "150",     "200",
    "300",     "600",     "1200",    "1800",    "2400",    "4800",    "9600",
    "19200",   "38400",   "57600",   "115200",  "230400",  "460800",  "500000",
    "576000",  "921600",  "1000000", "1152000", "1500000", "2000000", "2500000",
    "3000000", "3500000", "4000000", "134.5",   NULL};

static bool in(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], s)) return true;
    return false;
}

static const struct opt_spec spec = {
    .name = "stty", .shorts = "", .help = stty_help, .authors = "David MacKenzie"};

static int invalid(struct proc *p, const char *what, const char *arg)
{
    cmd_error(p, what, cmd_quote(p, arg));
    struct opt_state o;
    char *fake[2] = {(char *)cmd_prog(p), NULL};
    opt_init(&o, p, &spec, 1, fake);
    return opt_usage_error(&o, NULL);
}

int cmd_stty(struct proc *p, int argc, char **argv)
{
    bool verbose = false, recoverable = false;
    const char *device = NULL;
    int nsettings = 0;
    /* GNU stty reads its own options by hand, so settings like -echo pass. */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "--version")) {
            struct opt_state o;
            char *fake[3] = {argv[0], argv[i], NULL};
            opt_init(&o, p, &spec, 2, fake);
            return !strcmp(a, "--help") ? opt_help(&o) : opt_version(&o);
        }
        if (!strcmp(a, "-a") || !strcmp(a, "--all")) {
            verbose = true;
        } else if (!strcmp(a, "-g") || !strcmp(a, "--save")) {
            recoverable = true;
        } else if (!strncmp(a, "--file=", 7)) {
            device = a + 7;
        } else if (!strcmp(a, "-F") || !strcmp(a, "--file")) {
            if (i + 1 >= argc) return invalid(p, "invalid argument %s", a);
            device = argv[++i];
        } else if (!strncmp(a, "-F", 2) && a[2]) {
            device = a + 2;
        } else if (!strcmp(a, "--")) {
            continue;
        } else {
            nsettings++;
            bool rev = a[0] == '-';
            const char *name = rev ? a + 1 : a;
            if (!rev && in(arg_settings, name)) {
                if (i + 1 >= argc) return invalid(p, "missing argument to %s", name);
                i++;
            } else if (!(rev ? in(rev_settings, name)
                             : in(rev_settings, name) || in(plain_settings, name) ||
                                   in(speeds, name))) {
                return invalid(p, "invalid argument %s", a);
            }
        }
    }
    if (verbose && recoverable) {
        cmd_error(p, "the options for verbose and stty-readable output styles are\n"
                     "mutually exclusive");
        return 1;
    }
    if ((verbose || recoverable) && nsettings) {
        cmd_error(p, "when specifying an output style, modes may not be set");
        return 1;
    }
    int fd = 0;
    if (device) {
        fd = sys_open(p, device, O_RDONLY | O_NONBLOCK, 0);
        if (fd < 0) {
            cmd_file_error(p, device, fd);
            return 1;
        }
    }
    bool tty = sys_isatty(p, fd) > 0;
    if (device) sys_close(p, fd);
    /* Even a terminal device in the VM has no termios behind it. */
    (void)tty;
    cmd_errno(p, ENOTTY, "%s", device ? cmd_quotef(p, device) : "'standard input'");
    return 1;
}
