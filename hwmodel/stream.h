/* stream.h - a valid/ready stream between two blocks, as registers.
 *
 * The link owns both sides' registers: the producer writes valid_d and data_d, the consumer
 * writes ready_d; stream_commit() is the clock edge. Both sides are Moore (valid and ready come
 * from q), so a beat transfers in a cycle exactly when valid_q && ready_q (stream_fire), and both
 * blocks see the same answer whatever order they are evaluated in. A consumer that drains one
 * beat a cycle needs two entries of buffering to take a beat every cycle (registered ready).
 *
 * STREAM(T) declares the struct for a beat type T; the helpers are macros so that one definition
 * serves every beat type.
 */
#ifndef NICSIM_STREAM_H
#define NICSIM_STREAM_H

#include <stdbool.h>

#define STREAM(T)                                                                              \
    struct {                                                                                   \
        bool valid_q, valid_d;                                                                 \
        bool ready_q, ready_d;                                                                 \
        T data_q, data_d;                                                                      \
    }

/* A beat moves this cycle. */
#define stream_fire(s) ((s)->valid_q && (s)->ready_q)
/* Producer and consumer start their eval with the hold values. */
#define stream_hold_producer(s)                                                                \
    do {                                                                                       \
        (s)->valid_d = (s)->valid_q && !stream_fire(s);                                        \
        (s)->data_d = (s)->data_q;                                                             \
    } while (0)
#define stream_hold_consumer(s) ((s)->ready_d = (s)->ready_q)
#define stream_commit(s)                                                                       \
    do {                                                                                       \
        (s)->valid_q = (s)->valid_d;                                                           \
        (s)->ready_q = (s)->ready_d;                                                           \
        (s)->data_q = (s)->data_d;                                                             \
    } while (0)

#endif
