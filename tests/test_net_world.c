/*
 * Pins the network in whole runs (sim/net + model/world_net.c): an
 * invocation's latency is request transfer + execution + response transfer
 * (+ the latency model's propagation), each transfer latency + size /
 * capacity exactly; two requests on one access link share it (the second
 * finishes at 2x); the path rule (uplinks and a backbone between regions,
 * none within a region); zero payloads and a network section that moves
 * nothing keep the fingerprint of the run without it; payload draws come
 * from their own streams (other streams unchanged); offload_threshold keeps
 * work at the edge until a node is busy, then sends it to the cloud;
 * latency_aware avoids a congested link; the link figures and tiers in
 * summary.json, links.csv and link_series.csv (a transfer split between the
 * intervals it spans); and a two-region Markov-free sanity of
 * per-group figures; the queueing measures leave the transfers out; a
 * Poisson-fed link is an M/G/1 processor-sharing queue (its mean the same
 * for three size distributions).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "support.h"

#define HEAD                                                                                     \
    "{\"name\": \"net\", \"seed\": 3, \"duration\": \"10s\","                                    \
    " \"regions\": [{\"id\": \"eu\"}, {\"id\": \"far\", \"tier\": \"cloud\"}],"                  \
    " \"nodes\": [{\"id\": \"e1\", \"region\": \"eu\", \"cores\": 1},"                            \
    "             {\"id\": \"c1\", \"region\": \"far\", \"cores\": 64}],"

#define FN(req, resp)                                                                            \
    " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": "        \
    "\"100ms\"}, \"cold_start\": {\"type\": \"constant\", \"value\": \"0ms\"}" req resp "}],"

static const char *const one_link =
    HEAD " \"network\": {\"same_region\": \"0ms\", \"cross_region\": \"0ms\", \"links\": ["
         "{\"kind\": \"access\", \"nodes\": [\"e1\"], \"capacity\": \"8Mbps\", \"latency\": \"5ms\"}]},"
    FN(", \"request_kb\": 100", ", \"response_kb\": 50")
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"nodes\", \"nodes\": [\"e1\"]}],"
    " \"workloads\": [{\"function\": \"f\", \"region\": \"eu\", \"arrival\": \"times\","
    " \"times\": [\"1s\"]}]}";

TestSuite(net_world, .fini = cleanup);

Test(net_world, latency_is_request_plus_execution_plus_response_exactly)
{
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", one_link, NULL, 0, 0);
    /* 100 kB at 1 MB/s = 100 ms + 5 ms; 100 ms; 50 kB = 50 ms + 5 ms */
    cr_assert_float_eq(get(j, "latency_s.max"), 0.260, 1e-12);
    cr_assert_float_eq(get(j, "network.all.transfer_mean_s"), 0.160, 1e-12);
    cr_assert_eq(get(j, "network.transfers"), 2);
    cr_assert_eq(get(j, "network.bytes_by_class.access"), 150000);
    cr_assert_float_eq(get(j, "network.transfer_share.mean"), 0.160 / 0.260, 1e-6);
    /* busy 210 ms of 10 s, one flow at a time */
    cr_assert_float_eq(get(j, "network.links.access:e1.mean_flows"), 0.015, 1e-9);
    cr_assert_float_eq(get(j, "network.links.access:e1.utilisation_max"), 1, 1e-12);
    /* the queueing measures are the node's part: no transfer in them */
    cr_assert_float_eq(get(j, "queueing.wait_mean_s"), 0, 1e-12);
    cr_assert_eq(get(j, "queueing.p_wait"), 0);
    cr_assert_float_eq(get(j, "queueing.service_mean_s"), 0.100, 1e-12);
    char *csv = slurp("links.csv");
    cr_assert(strstr(csv, "access:e1,access,8000000,0.005000000,150000,0.015000,0.015000,"
                          "0.015000,1.000000,0.000000\n"),
              "%s", csv);
    free(csv);
    cJSON_Delete(j);
}

Test(net_world, the_link_series_splits_a_transfer_between_the_intervals_it_spans)
{
    /* 1 MB/s; request 100 kB from 1.905 s to 2.005 s (95 kB in (1, 2], 5 kB
     * in (2, 3]); 100 ms of execution; response 50 kB from 2.110 s to
     * 2.160 s: utilisation 0.095 in (1, 2] and 0.055 in (2, 3] */
    const char *sets[] = {"workloads[0].times=[\"1.9s\"]", "sample_interval=\"1s\""};
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", one_link, sets, 2, 0);
    char *csv = slurp("link_series.csv");
    const char *want = "t_start_s,t_end_s,rank,link,utilisation\n"
                       "0.000000000,1.000000000,1,access:e1,0.000000\n"
                       "1.000000000,2.000000000,1,access:e1,0.095000\n"
                       "2.000000000,3.000000000,1,access:e1,0.055000\n"
                       "3.000000000,4.000000000,1,access:e1,0.000000\n";
    cr_assert(!strncmp(csv, want, strlen(want)), "%s", csv);
    cr_assert(strstr(csv, "9.000000000,10.000000000,1,access:e1,0.000000\n"), "%s", csv);
    free(csv);
    cJSON_Delete(j);
}

Test(net_world, two_requests_on_one_link_share_it)
{
    const char *sets[] = {"workloads[0].times=[\"1s\", \"1s\"]", "nodes[0].cores=2",
                          "functions[0].response_kb=0"};
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", one_link, sets, 3, 0);
    /* both 100 kB requests share 1 MB/s: both through at 5 ms + 200 ms;
     * then 100 ms of execution each (2 cores) */
    cr_assert_float_eq(get(j, "latency_s.max"), 0.305, 1e-12);
    cr_assert_float_eq(get(j, "latency_s.mean"), 0.305, 1e-12);
    cr_assert_float_eq(get(j, "network.links.access:e1.mean_flows"), 0.04, 1e-9);
    /* delivered together to two free cores: neither waited for a slot */
    cr_assert_eq(get(j, "queueing.p_wait"), 0);
    cr_assert_float_eq(get(j, "queueing.service_mean_s"), 0.100, 1e-12);
    cJSON_Delete(j);
}

static const char *const two_regions =
    HEAD " \"network\": {\"same_region\": \"1ms\", \"cross_region\": \"30ms\", \"links\": ["
         "{\"kind\": \"uplink\", \"region\": \"eu\", \"capacity\": \"80Mbps\"},"
         "{\"kind\": \"uplink\", \"region\": \"far\", \"capacity\": \"800Mbps\"},"
         "{\"kind\": \"backbone\", \"regions\": [\"eu\", \"far\"], \"capacity\": \"8Mbps\","
         " \"latency\": \"20ms\"},"
         "{\"kind\": \"access\", \"nodes\": [\"*\"], \"capacity\": \"1Gbps\"}],"
         " \"energy_nj_per_byte\": {\"backbone\": 100}},"
    FN(", \"request_kb\": 100", "")
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"nodes\", \"nodes\": [\"c1\"]}],"
    " \"workloads\": [{\"function\": \"f\", \"region\": \"eu\", \"arrival\": \"times\","
    " \"times\": [\"1s\"]}]}";

Test(net_world, a_request_to_another_region_crosses_uplinks_and_backbone)
{
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", two_regions, NULL, 0, 0);
    /* path eu-uplink, backbone, far-uplink, access: the backbone (1 MB/s)
     * binds: 100 ms + 20 ms latency; + 30 ms propagation + 100 ms run */
    cr_assert_float_eq(get(j, "latency_s.max"), 0.250, 1e-12);
    cr_assert_eq(get(j, "network.bytes_by_class.uplink"), 200000);
    cr_assert_eq(get(j, "network.bytes_by_class.backbone"), 100000);
    cr_assert_eq(get(j, "network.bytes_by_class.access"), 100000);
    cr_assert_float_eq(get(j, "network.energy_j.backbone"), 1e5 * 100e-9, 1e-12);
    cr_assert_float_eq(get(j, "energy.transfer_j"), 0.01, 1e-12);
    cr_assert_eq(get(j, "network.tiers.cloud.count"), 1);
    cr_assert_eq(get(j, "network.client_groups.eu.count"), 1);
    cJSON_Delete(j);
}

/* The fingerprint of a run, as summary.json has it (caller frees). */
static char *fingerprint_of(const char *text, const char *const *sets, size_t nsets)
{
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", text, sets, nsets, 0);
    char *fp = strdup(at(j, "fingerprint")->valuestring);
    cJSON_Delete(j);
    return fp;
}

static const char *const busy =
    HEAD " \"network\": {\"links\": [{\"kind\": \"access\", \"nodes\": [\"*\"], \"capacity\": "
         "\"100Mbps\"}]},"
    " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"exponential\", \"mean\": "
    "\"50ms\"}, \"request_kb\": 0, \"response_kb\": 0}, {\"id\": \"g\", \"exec_time\": "
    "{\"type\": \"exponential\", \"mean\": \"30ms\"}}],"
    " \"deployments\": [{\"function\": \"*\", \"strategy\": \"all\"}],"
    " \"workloads\": [{\"function\": \"f\", \"region\": \"eu\", \"arrival\": \"poisson\", "
    "\"rate\": 30}, {\"function\": \"g\", \"region\": \"eu\", \"arrival\": \"poisson\", "
    "\"rate\": 20}]}";

Test(net_world, zero_payloads_keep_the_fingerprint_of_no_network)
{
    const char *none[] = {"network={}", "functions[0].request_kb=0"};
    char *a = fingerprint_of(busy, none, 1);
    char *b = fingerprint_of(busy, NULL, 0); /* links declared, zero sizes */
    cr_assert_str_eq(a, b);
    /* with a payload the run changes, and the payload's stream is its own:
     * g's arrivals and executions are drawn as before (same count) */
    const char *with[] = {"functions[0].request_kb=20"};
    char *c = fingerprint_of(busy, with, 1);
    cr_assert_str_neq(a, c);
    free(a);
    free(b);
    free(c);
}

static const char *const offload =
    HEAD " \"network\": {\"same_region\": \"1ms\", \"cross_region\": \"40ms\"},"
    FN("", "")
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
    " \"workloads\": [{\"function\": \"f\", \"region\": \"eu\", \"arrival\": \"times\","
    " \"times\": [\"1s\", \"1s\", \"1s\"]}],"
    " \"policies\": {\"scheduler\": \"offload_threshold\"}}";

Test(net_world, offload_threshold_sends_work_to_the_cloud_once_the_edge_is_busy)
{
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", offload, NULL, 0, 0);
    /* e1 (1 core) takes the first; the next two find it at 1 per core and
     * go to the cloud: 1 ms + 100 ms, and 40 ms + 100 ms twice */
    cr_assert_eq(node_get("e1", "invocations"), 1);
    cr_assert_eq(node_get("c1", "invocations"), 2);
    cr_assert_float_eq(get(j, "latency_s.max"), 0.140, 1e-12);
    cr_assert_eq(get(j, "network.tiers.cloud.count"), 2);
    cr_assert_eq(get(j, "network.tiers.edge.count"), 1);
    cJSON_Delete(j);
    /* a threshold of 3 per core keeps all three at the edge (queued) */
    const char *sets[] = {"policies.offload_threshold=3"};
    j = run_into_tmp("/tmp/edgesim-net-XXXXXX", offload, sets, 1, 0);
    cr_assert_eq(node_get("e1", "invocations"), 3);
    cJSON_Delete(j);
}

Test(net_world, latency_aware_weighs_queue_against_distance)
{
    const char *sets[] = {"policies.scheduler=latency_aware"};
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", offload, sets, 1, 0);
    /* first: e1 (1 ms + 100 ms) beats c1 (40 + 100); second: e1 would be
     * 1 + 200, c1 140: cloud; third: e1 201 vs c1 140 (64 cores): cloud */
    cr_assert_eq(node_get("e1", "invocations"), 1);
    cr_assert_eq(node_get("c1", "invocations"), 2);
    cJSON_Delete(j);
}

Test(net_world, latency_aware_counts_the_transfer_at_current_rates)
{
    /* both nodes in eu; e1 behind a slow access link, c1 behind a fast one:
     * a 100 kB request makes e1 (100 ms transfer) lose to c1 */
    const char *sets[] = {"policies.scheduler=latency_aware", "regions[1].tier=\"edge\"",
                          "nodes[1].region=\"eu\"",
                          "network.links=[{\"kind\": \"access\", \"nodes\": [\"e1\"], "
                          "\"capacity\": \"8Mbps\"}, {\"kind\": \"access\", \"nodes\": [\"c1\"], "
                          "\"capacity\": \"8Gbps\"}]",
                          "functions[0].request_kb=100", "workloads[0].times=[\"1s\"]"};
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", offload, sets, 6, 0);
    cr_assert_eq(node_get("e1", "invocations"), 0);
    cr_assert_eq(node_get("c1", "invocations"), 1);
    cJSON_Delete(j);
}

static const char *const commuters =
    "{\"name\": \"mob\", \"seed\": 5, \"duration\": \"20000m\","
    " \"regions\": [{\"id\": \"a\"}, {\"id\": \"b\"}],"
    " \"nodes\": [{\"id\": \"n1\", \"region\": \"a\"}],"
    " \"clients\": [{\"id\": \"c\", \"start\": \"a\", \"mobility\": \"markov\","
    " \"rates\": {\"a\": {\"b\": \"1/m\"}, \"b\": {\"a\": \"2/m\"}}}],"
    " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
    " \"workloads\": [{\"function\": \"f\", \"clients\": \"c\", \"arrival\": \"poisson\","
    " \"rate\": 0.01}]}";

Test(net_world, a_two_region_markov_group_spends_its_stationary_share_in_each)
{
    /* a -> b at 1/min, b -> a at 2/min: pi_a = 2/3, pi_b = 1/3; about 13,000
     * round trips in 20,000 min, so the fraction is within ~0.005 */
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", commuters, NULL, 0, 0);
    cr_assert_float_eq(get(j, "network.mobility.c.time_fraction.a"), 2.0 / 3, 0.015);
    cr_assert_float_eq(get(j, "network.mobility.c.time_fraction.b"), 1.0 / 3, 0.015);
    /* one handover per move: 2 per round trip of mean 1.5 min */
    double h = get(j, "network.mobility.c.handovers");
    cr_assert(h > 0.9 * 20000 / 0.75 && h < 1.1 * 20000 / 0.75, "handovers %.0f", h);
    /* requests come from where the group is: a share of them from b */
    double fa = get(j, "network.client_groups.a.count"), fb = get(j, "network.client_groups.b.count");
    cr_assert(fb > 0.2 * (fa + fb) && fb < 0.45 * (fa + fb), "a %.0f b %.0f", fa, fb);
    cJSON_Delete(j);
}

Test(net_world, a_trace_group_moves_at_its_times_and_requests_follow_it)
{
    const char *sets[] = {"duration=\"10s\"",
                          "clients[0]={\"id\": \"c\", \"start\": \"a\", \"mobility\": \"trace\", "
                          "\"moves\": [[\"4s\", \"b\"], [\"9s\", \"b\"]]}",
                          "workloads[0]={\"function\": \"f\", \"clients\": \"c\", \"arrival\": "
                          "\"times\", \"times\": [\"1s\", \"2s\", \"5s\"]}"};
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", commuters, sets, 3, 0);
    cr_assert_float_eq(get(j, "network.mobility.c.time_fraction.a"), 0.4, 1e-12);
    cr_assert_float_eq(get(j, "network.mobility.c.time_fraction.b"), 0.6, 1e-12);
    cr_assert_eq(get(j, "network.mobility.c.handovers"), 1); /* b -> b is no handover */
    cr_assert_eq(get(j, "network.client_groups.a.count"), 2);
    cr_assert_eq(get(j, "network.client_groups.b.count"), 1);
    cJSON_Delete(j);
}

Test(net_world, each_moving_group_reports_the_latency_of_its_own_requests)
{
    /* "near" stays in a (the node's region: 1 ms), "far" in b (50 ms); 1 ms
     * of execution. near: 2 requests of 2 ms; far: one request and a
     * two-step workflow (each step an invocation of 51 ms); a fixed
     * workload from b counts in client_groups.b and in no group. */
    static const char text[] =
        "{\"name\": \"mob\", \"seed\": 5, \"duration\": \"10s\","
        " \"regions\": [{\"id\": \"a\"}, {\"id\": \"b\"}],"
        " \"nodes\": [{\"id\": \"n1\", \"region\": \"a\"}],"
        " \"clients\": [{\"id\": \"near\", \"start\": \"a\", \"mobility\": \"markov\", \"rates\": {}},"
        "   {\"id\": \"far\", \"start\": \"b\", \"mobility\": \"markov\", \"rates\": {}}],"
        " \"functions\": [{\"id\": \"f\", \"cold_start\": \"0s\", \"exec_time\": \"1ms\"}],"
        " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        " \"workflows\": [{\"id\": \"w\", \"steps\": [{\"id\": \"s1\", \"function\": \"f\"},"
        "   {\"id\": \"s2\", \"function\": \"f\", \"after\": [\"s1\"]}]}],"
        " \"workloads\": ["
        "   {\"function\": \"f\", \"clients\": \"near\", \"arrival\": \"times\", \"times\": [\"1s\", \"2s\"]},"
        "   {\"function\": \"f\", \"clients\": \"far\", \"arrival\": \"times\", \"times\": [\"3s\"]},"
        "   {\"workflow\": \"w\", \"clients\": \"far\", \"arrival\": \"times\", \"times\": [\"5s\"]},"
        "   {\"function\": \"f\", \"region\": \"b\", \"arrival\": \"times\", \"times\": [\"7s\"]}]}";
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", text, NULL, 0, 0);
    cr_assert_eq(get(j, "network.mobility.near.count"), 2);
    cr_assert_float_eq(get(j, "network.mobility.near.latency_mean_s"), 0.002, 1e-12);
    cr_assert_float_eq(get(j, "network.mobility.near.latency_p99_s"), 0.002, 1e-12);
    cr_assert_eq(get(j, "network.mobility.far.count"), 3);
    cr_assert_float_eq(get(j, "network.mobility.far.latency_mean_s"), 0.051, 1e-12);
    cr_assert_eq(get(j, "network.mobility.far.transfer_mean_s"), 0);
    cr_assert_eq(get(j, "network.client_groups.b.count"), 4);
    cr_assert_eq(get(j, "network.all.count"), 6);
    cJSON_Delete(j);
}

Test(net_world, mobility_leaves_the_other_streams_alone)
{
    /* the same workload from a fixed region or from a group that never
     * moves: the same arrivals and executions, the same fingerprint */
    const char *fixed[] = {"clients[0].rates={}",
                           "workloads[0]={\"function\": \"f\", \"region\": \"a\", \"arrival\": "
                           "\"poisson\", \"rate\": 0.01}"};
    const char *still[] = {"clients[0].rates={}"};
    char *x = fingerprint_of(commuters, fixed, 2);
    char *y = fingerprint_of(commuters, still, 1);
    cr_assert_str_eq(x, y);
    free(x);
    free(y);
}

/* Two nodes in one region, each behind an 8 Mbit/s (1 MB/s) access link of
 * 5 ms; f1 runs only on n1, f2 and f3 only on n2; no propagation latency. */
#define WF_HEAD(wfs)                                                                             \
    "{\"name\": \"wfnet\", \"seed\": 3, \"duration\": \"20s\","                                  \
    " \"regions\": [{\"id\": \"eu\"}],"                                                          \
    " \"nodes\": [{\"id\": \"n1\", \"region\": \"eu\", \"cores\": 4},"                            \
    "             {\"id\": \"n2\", \"region\": \"eu\", \"cores\": 4}],"                           \
    " \"network\": {\"same_region\": \"0ms\", \"links\": [{\"kind\": \"access\", \"nodes\":"      \
    " [\"n1\", \"n2\"], \"capacity\": \"8Mbps\", \"latency\": \"5ms\"}]},"                       \
    " \"functions\": [" WFN("f1", "100ms") "," WFN("f2", "200ms") "," WFN("f3", "300ms") "],"     \
    " \"deployments\": [{\"function\": \"f1\", \"strategy\": \"nodes\", \"nodes\": [\"n1\"]},"    \
    " {\"function\": \"f2\", \"strategy\": \"nodes\", \"nodes\": [\"n2\"]},"                      \
    " {\"function\": \"f3\", \"strategy\": \"nodes\", \"nodes\": [\"n2\"]}],"                     \
    " \"workflows\": [" wfs "],"                                                                 \
    " \"workloads\": [{\"workflow\": \"w\", \"region\": \"eu\", \"arrival\": \"times\","          \
    " \"times\": [\"1s\"]}]}"
#define WFN(id, exec)                                                                            \
    "{\"id\": \"" id "\", \"exec_time\": {\"type\": \"constant\", \"value\": \"" exec "\"},"     \
    " \"cold_start\": {\"type\": \"constant\", \"value\": \"0ms\"}}"

Test(net_world, a_workflow_edge_payload_crosses_the_links_between_its_steps_nodes)
{
    /* a (f1 on n1) -> b (f2 on n2) with 0.5 MB: access(n1), access(n2), both
     * 1 MB/s: 10 ms of latency + 0.5 s; latency 0.1 + 0.51 + 0.2 s */
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX",
                            WF_HEAD("{\"id\": \"w\", \"steps\": [{\"id\": \"a\", \"function\": "
                                    "\"f1\"}, {\"id\": \"b\", \"function\": \"f2\", \"after\": "
                                    "[{\"step\": \"a\", \"payload_mb\": 0.5}]}]}"),
                            NULL, 0, 0);
    cr_assert_float_eq(get(j, "workflows.w.latency_s.max"), 0.810, 1e-12);
    cr_assert_float_eq(get(j, "workflows.w.critical_path_s.transfer"), 0.510, 1e-12);
    cr_assert_float_eq(get(j, "workflows.w.critical_path_s.execution"), 0.300, 1e-12);
    cr_assert_eq(get(j, "workflows.w.critical_path_s.queueing"), 0);
    cr_assert_eq(get(j, "network.transfers"), 1);
    cr_assert_eq(get(j, "network.bytes_by_class.access"), 1000000); /* 0.5 MB on two links */
    cJSON_Delete(j);
}

Test(net_world, a_step_waits_for_every_input_and_data_on_its_node_takes_no_time)
{
    /* a (f1, n1, 100 ms) and b (f2, n2, 200 ms) both feed c (f3, n2). c is
     * routed when both are done (0.2 s); then a's 1 MB leaves n1 and takes
     * 10 ms + 1 s (alone on the links); b's 5 MB are already on n2 and
     * move nothing. c runs 0.3 s: 0.2 + 1.01 + 0.3 = 1.51 s */
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX",
                            WF_HEAD("{\"id\": \"w\", \"steps\": [{\"id\": \"a\", \"function\": "
                                    "\"f1\"}, {\"id\": \"b\", \"function\": \"f2\"},"
                                    " {\"id\": \"c\", \"function\": \"f3\", \"after\": "
                                    "[{\"step\": \"a\", \"payload_mb\": 1}, {\"step\": \"b\","
                                    " \"payload_mb\": 5}]}]}"),
                            NULL, 0, 0);
    cr_assert_float_eq(get(j, "workflows.w.latency_s.max"), 1.510, 1e-12);
    cr_assert_float_eq(get(j, "workflows.w.critical_path_s.transfer"), 1.010, 1e-12);
    cr_assert_float_eq(get(j, "workflows.w.critical_path_s.execution"), 0.500, 1e-12);
    cr_assert_eq(get(j, "network.transfers"), 1);
    cJSON_Delete(j);
}

Test(net_world, zero_edge_payloads_keep_the_fingerprint)
{
    const char *wf = WF_HEAD("{\"id\": \"w\", \"steps\": [{\"id\": \"a\", \"function\": "
                             "\"f1\"}, {\"id\": \"b\", \"function\": \"f2\", \"after\": "
                             "[{\"step\": \"a\", \"payload_mb\": 0}]}]}");
    const char *plain[] = {"workflows[0].steps[1].after=[\"a\"]"};
    char *x = fingerprint_of(wf, NULL, 0);
    char *y = fingerprint_of(wf, plain, 1);
    cr_assert_str_eq(x, y);
    free(x);
    free(y);
}

Test(net_world, a_step_starts_when_the_last_of_its_inputs_is_through)
{
    /* a and b (f1 on n1, 100 ms each) feed c (f3 on n2) with 1 MB and
     * 0.5 MB: both leave n1 at 0.1 s, wait 10 ms, then share the links at
     * 0.5 MB/s each; b's is through at 1.11 s, a's has 0.5 MB left, alone
     * at 1 MB/s: through at 1.61 s; c runs 0.3 s: 1.91 s */
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX",
                            WF_HEAD("{\"id\": \"w\", \"steps\": [{\"id\": \"a\", \"function\": "
                                    "\"f1\"}, {\"id\": \"b\", \"function\": \"f1\"},"
                                    " {\"id\": \"c\", \"function\": \"f3\", \"after\": "
                                    "[{\"step\": \"a\", \"payload_mb\": 1}, {\"step\": \"b\","
                                    " \"payload_mb\": 0.5}]}]}"),
                            NULL, 0, 0);
    cr_assert_float_eq(get(j, "workflows.w.latency_s.max"), 1.910, 1e-12);
    cr_assert_float_eq(get(j, "workflows.w.critical_path_s.transfer"), 1.510, 1e-12);
    cr_assert_eq(get(j, "network.transfers"), 2);
    cJSON_Delete(j);
}

Test(net_world, a_steps_own_request_and_response_transfers_are_its_transfer_part)
{
    /* a (f1 on n1, 100 ms) with a 100 kB request and a 50 kB response over
     * access(n1) (1 MB/s, 5 ms): 0.105 s, then 0.055 s; then b (f2 on n2,
     * 200 ms, no payload). Latency 0.105 + 0.1 + 0.055 + 0.2 = 0.46 s, of
     * which transfer 0.16 (not queueing, not execution), execution 0.3 */
    const char *pay[] = {"functions[0].request_kb=100", "functions[0].response_kb=50"};
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX",
                            WF_HEAD("{\"id\": \"w\", \"steps\": [{\"id\": \"a\", \"function\": "
                                    "\"f1\"}, {\"id\": \"b\", \"function\": \"f2\", \"after\": "
                                    "[\"a\"]}]}"),
                            pay, 2, 0);
    cr_assert_float_eq(get(j, "workflows.w.latency_s.max"), 0.460, 1e-12);
    cr_assert_float_eq(get(j, "workflows.w.critical_path_s.transfer"), 0.160, 1e-12);
    cr_assert_float_eq(get(j, "workflows.w.critical_path_s.execution"), 0.300, 1e-12);
    cr_assert_eq(get(j, "workflows.w.critical_path_s.queueing"), 0);
    cr_assert_eq(get(j, "network.transfers"), 2);
    cJSON_Delete(j);
}

Test(net_world, a_payload_drawn_past_any_size_is_capped_and_the_run_goes_on)
{
    /* A Pareto of shape 0.001 draws past 2^53 bytes nearly always, and past
     * any double (inf) one time in two: each is 2^53 bytes (semantics.md),
     * days on 8 Mbit/s, so the request is still on its way at the end. An
     * infinite size used to fail the run ("invalid argument"). */
    const char *sets[] = {"functions[0].request_kb={\"type\": \"pareto\", \"shape\": 0.001, "
                          "\"scale\": 1}",
                          "workloads[0].times=[\"1s\", \"2s\", \"3s\", \"4s\", \"5s\"]"};
    cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", one_link, sets, 2, 0);
    cr_assert_eq(get(j, "totals.arrivals"), 5);
    double stuck = get(j, "network.transfers_in_flight_at_end");
    cr_assert_geq(stuck, 1);
    cr_assert_eq(get(j, "totals.in_flight_at_end"), stuck);
    cr_assert_eq(get(j, "totals.ok") + stuck, 5);
    cJSON_Delete(j);
}

/* One access link of 100 Mbit/s (12.5 MB/s) fed by Poisson requests at 40/s
 * whose sizes are drawn from `size` (mean 125 kB: 10 ms alone on the link),
 * with no execution time and room for every request on the node: the link
 * is a processor-sharing queue at rho = 0.4. */
#define PS_SCENARIO(size)                                                                        \
    "{\"name\": \"ps\", \"seed\": 5, \"duration\": \"5000s\", \"regions\": [{\"id\": \"r\"}],"    \
    " \"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": 1000, \"queue_limit\": 100000,"    \
    "   \"memory_mb\": 1000000}],"                                                                \
    " \"network\": {\"same_region\": \"0s\", \"links\": [{\"kind\": \"access\", \"nodes\": [\"n\"]," \
    "   \"capacity\": \"100Mbps\"}]},"                                                            \
    " \"functions\": [{\"id\": \"f\", \"memory_mb\": 1, \"timeout\": \"1h\","                      \
    "   \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"                              \
    "   \"exec_time\": {\"type\": \"constant\", \"value\": \"0s\"}, \"request_kb\": " size "}],"  \
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"                           \
    " \"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 40}]," \
    " \"policies\": {\"keepalive_ttl\": \"1d\"}}"

Test(net_world, a_poisson_fed_link_is_processor_sharing_whatever_the_size_distribution)
{
    /* M/G/1-PS is insensitive: the mean sojourn is (E[S] / C) / (1 - rho) =
     * 10 ms / 0.6 = 16.67 ms for exponential, constant and uniform sizes
     * alike (a FIFO link would give 16.67, 13.33 and 14.44 ms: 10 ms plus
     * the Pollaczek-Khinchine wait, which depends on E[S^2]). About 200,000
     * requests a run, correlated over busy periods of a few requests: the
     * standard error is under 0.5%, so 3% is several. */
    static const char *const sizes[] = {"{\"type\": \"exponential\", \"mean\": 125}", "125",
                                        "{\"type\": \"uniform\", \"min\": 0, \"max\": 250}"};
    static const char *const texts[] = {PS_SCENARIO("{\"type\": \"exponential\", \"mean\": 125}"),
                                        PS_SCENARIO("125"),
                                        PS_SCENARIO("{\"type\": \"uniform\", \"min\": 0, \"max\": 250}")};
    for (size_t i = 0; i < 3; i++) {
        cJSON *j = run_into_tmp("/tmp/edgesim-net-XXXXXX", texts[i], NULL, 0, 0);
        double t = get(j, "latency_s.mean"), want = 0.010 / 0.6;
        cr_expect(fabs(t - want) / want < 0.03, "sizes %s: mean %g s, expected %g", sizes[i], t,
                  want);
        cr_expect_float_eq(get(j, "network.all.transfer_mean_s"), t, 1e-9,
                           "all of the latency is the transfer");
        cJSON_Delete(j);
        cleanup();
    }
}
