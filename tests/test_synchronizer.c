/* Pins core/synchronizer: replicas start current at version 1; a patch
 * bumps the primary's version and leaves every replica behind; a node with a
 * transfer in flight is not "needing" one; an intact transfer makes the
 * replica current with the primary's data and checksum; any flipped byte is
 * rejected (EDGE_CHECKSUM) and leaves the replica as it was; a stale message
 * never rolls a replica back; a dropped replica is behind; errors, and
 * failed allocations that leave everything as it was (ASan: no leak). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_budget.h"
#include "synchronizer.h"

static edge_synchronizer *make(size_t n)
{
    cJSON *init = cJSON_Parse("{\"config\": {\"mode\": \"a\", \"limit\": 3}}");
    edge_synchronizer *s = NULL;
    cr_assert_eq(edge_synchronizer_create(init, n, EDGE_DIGEST_MD5, &s), EDGE_OK);
    cJSON_Delete(init);
    return s;
}

static void patch(edge_synchronizer *s, const char *json)
{
    cJSON *p = cJSON_Parse(json);
    cr_assert_eq(edge_synchronizer_update(s, p), EDGE_OK);
    cJSON_Delete(p);
}

Test(synchronizer, replicas_start_current_at_version_1)
{
    edge_synchronizer *s = make(3);
    cr_expect_eq(edge_synchronizer_primary(s)->version, 1);
    for (size_t i = 0; i < 3; i++) {
        cr_expect(edge_synchronizer_is_current(s, i));
        cr_expect_not(edge_synchronizer_needs(s, i));
        cr_expect_str_eq(edge_synchronizer_replica(s, i)->checksum,
                         edge_synchronizer_primary(s)->checksum);
    }
    edge_synchronizer_free(s);
}

Test(synchronizer, a_patch_bumps_the_version_and_leaves_replicas_behind)
{
    edge_synchronizer *s = make(2);
    char before[EDGE_DIGEST_HEX_MAX];
    strcpy(before, edge_synchronizer_primary(s)->checksum);
    patch(s, "{\"config\": {\"mode\": \"b\", \"limit\": null}}");
    const edge_sync_state *p = edge_synchronizer_primary(s);
    cr_expect_eq(p->version, 2);
    cr_expect_str_neq(p->checksum, before);
    cr_expect_null(cJSON_GetObjectItem(cJSON_GetObjectItem(p->data, "config"), "limit"));
    cr_expect_not(edge_synchronizer_is_current(s, 0));
    cr_expect(edge_synchronizer_needs(s, 1));
    cr_expect_eq(edge_synchronizer_replica_version(s, 1), 1);
    edge_synchronizer_free(s);
}

Test(synchronizer, an_intact_transfer_makes_the_replica_current)
{
    edge_synchronizer *s = make(2);
    patch(s, "{\"x\": [1, 2, \"three\"]}");
    edge_sync_message *m;
    cr_assert_eq(edge_synchronizer_send(s, 0, &m), EDGE_OK);
    cr_expect_eq(m->version, 2);
    cr_expect_not(edge_synchronizer_needs(s, 0), "in flight");
    cr_expect(edge_synchronizer_needs(s, 1));
    cr_expect_eq(edge_synchronizer_receive(s, 0, m, m->payload, m->len), EDGE_OK);
    cr_expect(edge_synchronizer_is_current(s, 0));
    const edge_sync_state *r = edge_synchronizer_replica(s, 0);
    cr_expect_str_eq(r->checksum, edge_synchronizer_primary(s)->checksum);
    cr_expect_eq(edge_sync_state_verify(r), EDGE_OK);
    cr_expect_str_eq(m->checksum, edge_synchronizer_primary(s)->checksum,
                     "the wire checksum is the state's");
    edge_sync_message_release(m);
    edge_synchronizer_free(s);
}

Test(synchronizer, every_flipped_byte_is_rejected_and_the_replica_kept)
{
    edge_synchronizer *s = make(1);
    patch(s, "{\"k\": \"v\", \"n\": 12.5}");
    edge_sync_message *m;
    cr_assert_eq(edge_synchronizer_send(s, 0, &m), EDGE_OK);
    char *bad = malloc(m->len);
    for (size_t at = 0; at < m->len; at++) {
        memcpy(bad, m->payload, m->len);
        bad[at] ^= 0x01;
        cr_expect_eq(edge_synchronizer_receive(s, 0, m, bad, m->len), EDGE_CHECKSUM,
                     "byte %zu", at);
        cr_expect_eq(edge_synchronizer_replica_version(s, 0), 1);
        cr_expect(edge_synchronizer_needs(s, 0), "asks again");
    }
    cr_expect_eq(edge_synchronizer_receive(s, 0, m, m->payload, m->len - 1), EDGE_CHECKSUM,
                 "a truncated copy too");
    free(bad);
    edge_sync_message_release(m);
    edge_synchronizer_free(s);
}

Test(synchronizer, a_stale_message_never_rolls_a_replica_back)
{
    edge_synchronizer *s = make(1);
    patch(s, "{\"v\": 2}");
    edge_sync_message *old, *cur;
    cr_assert_eq(edge_synchronizer_send(s, 0, &old), EDGE_OK);
    patch(s, "{\"v\": 3}");
    cr_assert_eq(edge_synchronizer_send(s, 0, &cur), EDGE_OK);
    cr_expect_eq(cur->version, 3);
    cr_expect_eq(old->version, 2, "a transfer keeps its version after an update");
    cr_expect_eq(edge_synchronizer_receive(s, 0, cur, cur->payload, cur->len), EDGE_OK);
    cr_expect_eq(edge_synchronizer_receive(s, 0, old, old->payload, old->len), EDGE_OK);
    cr_expect_eq(edge_synchronizer_replica_version(s, 0), 3);
    edge_sync_message_release(old);
    edge_sync_message_release(cur);
    edge_synchronizer_free(s);
}

Test(synchronizer, a_dropped_replica_is_behind_and_a_lost_transfer_is_needed_again)
{
    edge_synchronizer *s = make(2);
    edge_synchronizer_drop(s, 1);
    cr_expect_eq(edge_synchronizer_replica_version(s, 1), 0);
    cr_expect_null(edge_synchronizer_replica(s, 1));
    cr_expect(edge_synchronizer_needs(s, 1));
    edge_sync_message *m;
    cr_assert_eq(edge_synchronizer_send(s, 1, &m), EDGE_OK);
    cr_expect_not(edge_synchronizer_needs(s, 1));
    edge_synchronizer_lost(s, 1);
    cr_expect(edge_synchronizer_needs(s, 1));
    edge_sync_message_release(m);
    edge_synchronizer_free(s);
}

Test(synchronizer, bad_arguments_are_errors)
{
    edge_synchronizer *s = NULL;
    cr_expect_eq(edge_synchronizer_create(NULL, 1, EDGE_DIGEST_MD5, &s), EDGE_INVAL);
    s = make(1);
    edge_sync_message *m = NULL;
    cr_expect_eq(edge_synchronizer_send(s, 1, &m), EDGE_INVAL, "unknown node");
    cr_expect_eq(edge_synchronizer_update(s, NULL), EDGE_INVAL);
    cr_expect_eq(edge_synchronizer_replica_version(s, 7), 0);
    cr_expect_not(edge_synchronizer_needs(s, 7));
    cr_assert_eq(edge_synchronizer_send(s, 0, &m), EDGE_OK);
    cr_expect_eq(edge_synchronizer_receive(s, 1, m, m->payload, m->len), EDGE_INVAL);
    cr_expect_eq(edge_synchronizer_receive(s, 0, m, NULL, 0), EDGE_INVAL);
    edge_sync_message_release(m);
    edge_synchronizer_drop(s, 9); /* nothing */
    edge_synchronizer_free(s);
    edge_synchronizer_free(NULL);
}

Test(synchronizer, a_failed_allocation_leaves_nothing_behind)
{
    cJSON *init = cJSON_Parse("{\"a\": 1}");
    for (long budget = 0; budget < 2; budget++) {
        edge_synchronizer *s = NULL;
        alloc_budget = budget;
        cr_expect_eq(edge_synchronizer_create(init, 4, EDGE_DIGEST_MD5, &s), EDGE_NOMEM);
        cr_expect_null(s);
    }
    alloc_budget = -1;
    edge_synchronizer *s = make(2);
    patch(s, "{\"b\": 2}");
    edge_sync_message *m = NULL;
    alloc_budget = 0;
    cr_expect_eq(edge_synchronizer_send(s, 0, &m), EDGE_NOMEM);
    alloc_budget = -1;
    cr_expect(edge_synchronizer_needs(s, 0), "nothing in flight after the failure");
    cr_assert_eq(edge_synchronizer_send(s, 0, &m), EDGE_OK);
    edge_sync_message_release(m);
    edge_synchronizer_free(s);
    cJSON_Delete(init);
}
