/*
 * interrupt.h — Ctrl-C (SIGINT) and SIGTERM during `run` and `sweep`.
 *
 * The handler does one async-signal-safe thing: it stores the signal's
 * number in a volatile sig_atomic_t. Everything else happens in normal code:
 * the event engine reads the flag after each event (the world hands it the
 * flag's address with sim_engine_set_interrupt) and stops; the caller sees
 * sim_interrupted(), unwinds through its usual error path, which removes the
 * temporary outputs it was writing, and exits with sim_interrupt_exit_code()
 * (128 + the signal: 130 for SIGINT, 143 for SIGTERM, as shells report).
 *
 * This is the one piece of process-wide mutable state of the simulator: a
 * signal has nowhere else to go. It lives in sim/, never in core/; the
 * embedding API never installs the handler, so a library user's signals are
 * its own.
 */
#ifndef SIM_INTERRUPT_H
#define SIM_INTERRUPT_H

#include <signal.h>
#include <sys/types.h>

/* Installs the handler for SIGINT and SIGTERM (sigaction, without
 * SA_RESTART, so a blocking wait returns EINTR). A SIGINT that is ignored on
 * entry stays ignored (a background job of a shell without job control, as
 * nohup leaves it). Returns 0, or -1 with errno set. */
int sim_interrupt_install(void);

/* The signal received since the start (SIGINT or SIGTERM), or 0. */
int sim_interrupted(void);

/* The flag itself, for a loop that must read it cheaply (the engine).
 * Nonzero once a signal arrived. Never NULL. */
const volatile sig_atomic_t *sim_interrupt_flag(void);

/* 128 + the signal received (130 for SIGINT, 143 for SIGTERM); 130 when none. */
int sim_interrupt_exit_code(void);

/* Waits for any child to end, or for an interrupt, without the race of a
 * signal arriving just before a blocking waitpid: the signals are blocked
 * while the flag is checked and unblocked atomically by sigsuspend.
 * Returns the child's pid (its status in *status), 0 when interrupted, or
 * -1 with errno set (ECHILD: no child left). */
pid_t sim_interrupt_wait_child(int *status);

#endif
