/*
 * Times a supervisor (tini, dumb-init, catatonit, lameduck-init) on the two paths that matter to an
 * app, with one clock (CLOCK_MONOTONIC) shared by harness and app:
 *
 *   probe exec    N [SUPERVISOR ARGS...]   start -> app: harness time just before fork+exec of the
 *                                          supervisor, to the first instruction of the app's main()
 *   probe forward N [SUPERVISOR ARGS...]   signal forward: harness time just before kill(supervisor,
 *                                          SIGUSR1), to the app's SIGUSR1 handler; N signals, one at a time
 *
 * The app is this program again ("app" mode); it reports its timestamps through an inherited pipe.
 * With no SUPERVISOR the app is started (and signalled) directly: the floor on this machine.
 * Prints one line of microseconds: min p50 p90 p99 max mean.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int out_fd = -1;

static void report(int64_t t) { (void)!write(out_fd, &t, sizeof t); }

static void on_usr1(int sig) {
    (void)sig;
    report(now_ns());
}

/* The app: reports when main() starts; in forward mode reports every SIGUSR1 and waits to be killed. */
static int app(int fd, int forward) {
    int64_t started = now_ns();
    out_fd = fd;
    if (forward) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sigaction(SIGUSR1, &sa, NULL);
    }
    report(started);
    if (!forward) return 0;
    for (;;) pause();
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static pid_t start(char **supervisor, int nsup, int fd, int forward, int read_end) {
    static char self[4096], fdtext[16];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) exit(1);
    self[len] = 0;
    snprintf(fdtext, sizeof fdtext, "%d", fd);
    char *args[64];
    int k = 0;
    for (int i = 0; i < nsup && k < 58; i++) args[k++] = supervisor[i];
    args[k++] = self;
    args[k++] = forward ? "app-forward" : "app-exec";
    args[k++] = fdtext;
    args[k] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        close(read_end);
        execvp(args[0], args);
        _exit(127);
    }
    return pid;
}

static int64_t read_time(int fd) {
    int64_t t;
    if (read(fd, &t, sizeof t) != sizeof t) {
        fprintf(stderr, "probe: the app did not answer\n");
        exit(1);
    }
    return t;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "app-exec") == 0) return app(atoi(argv[2]), 0);
    if (argc == 3 && strcmp(argv[1], "app-forward") == 0) return app(atoi(argv[2]), 1);
    if (argc < 3 || (strcmp(argv[1], "exec") != 0 && strcmp(argv[1], "forward") != 0)) {
        fprintf(stderr, "usage: %s exec|forward N [SUPERVISOR ARGS...]\n", argv[0]);
        return 2;
    }
    int forward = strcmp(argv[1], "forward") == 0;
    int n = atoi(argv[2]);
    char **supervisor = argv + 3;
    int nsup = argc - 3;
    int64_t *lat = calloc(n, sizeof *lat);
    int p[2];

    if (forward) {
        if (pipe(p) != 0) return 1;
        pid_t pid = start(supervisor, nsup, p[1], 1, p[0]);
        close(p[1]);
        read_time(p[0]);      /* the app is up */
        usleep(200000);       /* and the supervisor is idle */
        for (int i = 0; i < n; i++) {
            int64_t t0 = now_ns();
            kill(pid, SIGUSR1);
            lat[i] = read_time(p[0]) - t0;
            usleep(2000);     /* one at a time: pending signals of one number merge */
        }
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    } else {
        for (int i = 0; i < n; i++) {
            if (pipe(p) != 0) return 1;
            int64_t t0 = now_ns();
            pid_t pid = start(supervisor, nsup, p[1], 0, p[0]);
            close(p[1]);
            lat[i] = read_time(p[0]) - t0;
            close(p[0]);
            waitpid(pid, NULL, 0);
        }
    }

    qsort(lat, n, sizeof *lat, cmp);
    double sum = 0;
    for (int i = 0; i < n; i++) sum += lat[i];
    printf("%.1f %.1f %.1f %.1f %.1f %.1f\n", lat[0] / 1e3, lat[n / 2] / 1e3, lat[n * 9 / 10] / 1e3,
           lat[n * 99 / 100] / 1e3, lat[n - 1] / 1e3, sum / n / 1e3);
    return 0;
}
