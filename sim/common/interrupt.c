/*
 * interrupt.c — the SIGINT/SIGTERM flag (the contract is in interrupt.h).
 */
#include "common/interrupt.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_signal; /* the one flag; see interrupt.h */

static void on_signal(int sig)
{
    got_signal = sig;
}

static void on_child(int sig)
{
    (void)sig; /* only to wake sigsuspend */
}

int sim_interrupt_install(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked wait must return */
    if (sigaction(SIGINT, NULL, &old) != 0)
        return -1;
    if (old.sa_handler != SIG_IGN && sigaction(SIGINT, &sa, NULL) != 0)
        return -1;
    return sigaction(SIGTERM, &sa, NULL);
}

int sim_interrupted(void)
{
    return got_signal;
}

const volatile sig_atomic_t *sim_interrupt_flag(void)
{
    return &got_signal;
}

int sim_interrupt_exit_code(void)
{
    return 128 + (got_signal ? got_signal : SIGINT);
}

pid_t sim_interrupt_wait_child(int *status)
{
    struct sigaction sa, old_chld;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &block, &old) != 0)
        return -1;
    if (sigaction(SIGCHLD, &sa, &old_chld) != 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        errno = e;
        return -1;
    }
    sigset_t wait_mask = old;
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGTERM);
    sigdelset(&wait_mask, SIGCHLD);
    pid_t pid;
    for (;;) {
        if (got_signal) {
            pid = 0;
            break;
        }
        pid = waitpid(-1, status, WNOHANG);
        if (pid != 0) /* a child, or -1 (ECHILD: none left) */
            break;
        sigsuspend(&wait_mask); /* returns after a handler ran */
    }
    int e = errno;
    sigaction(SIGCHLD, &old_chld, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return pid;
}
