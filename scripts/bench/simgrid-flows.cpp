/* simgrid-flows.cpp — the work of `edgesim bench net` run by SimGrid (s4u),
 * for make bench's comparison (scripts/bench-net.sh): the same 20-link tree
 * (16 leaf links of 1 Gbit/s under 4 aggregation links of 4 Gbit/s, latency
 * 0, SHARED), the same flow list (read from the file `edgesim bench net
 * --list` wrote), the same closed loops: slot s sends flows s, s + N, ...
 * one after the other. CM02 with latency and bandwidth factors 1 and
 * TCP-gamma 0 (given on the command line by the script) is plain max-min.
 * A list with a fifth column (start_s: `edgesim bench net --open`) is run
 * open: each flow starts at its time (SLOTS is then ignored).
 *
 *   usage: simgrid-flows LIST.csv SLOTS FINISH.csv [--cfg=...]
 * Writes "flow,finish_s" per flow to FINISH.csv and prints
 * "flows=N cpu_seconds=S flows_per_cpu_second=R" (CPU time of the run only).
 */
#include <simgrid/s4u.hpp>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

struct flow {
    unsigned src, dst;
    uint64_t bytes;
    double start; /* open lists; -1 otherwise */
};

static std::vector<flow> flows;
static std::vector<double> finish;
static std::vector<sg4::Host*> hosts;

static double cpu_now()
{
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv)
{
    sg4::Engine e(&argc, argv);
    if (argc < 4) {
        fprintf(stderr, "usage: simgrid-flows LIST.csv SLOTS FINISH.csv\n");
        return 2;
    }
    std::ifstream in(argv[1]);
    std::string line;
    while (std::getline(in, line)) {
        unsigned long long id, bytes;
        unsigned s, d;
        double start = -1;
        int n = sscanf(line.c_str(), "%llu,%u,%u,%llu,%lf", &id, &s, &d, &bytes, &start);
        if (n == 4 || n == 5)
            flows.push_back({s, d, bytes, n == 5 ? start : -1.0});
    }
    unsigned slots = (unsigned)std::stoul(argv[2]);
    const unsigned leaves = 16, fanout = 4, naggs = leaves / fanout;
    auto* zone = sg4::create_full_zone("tree");
    std::vector<sg4::Link*> leaf, agg;
    for (unsigned i = 0; i < leaves; i++) {
        hosts.push_back(zone->create_host("h" + std::to_string(i), 1e9));
        leaf.push_back(zone->create_link("leaf" + std::to_string(i), 1e9 / 8)->set_latency(1e-6)->seal());
    }
    for (unsigned g = 0; g < naggs; g++)
        agg.push_back(zone->create_link("agg" + std::to_string(g), 4e9 / 8)->set_latency(0)->seal());
    for (unsigned a = 0; a < leaves; a++)
        for (unsigned b = 0; b < leaves; b++) {
            if (a == b)
                continue;
            std::vector<sg4::LinkInRoute> r{sg4::LinkInRoute(leaf[a]), sg4::LinkInRoute(agg[a / fanout])};
            if (b / fanout != a / fanout)
                r.push_back(sg4::LinkInRoute(agg[b / fanout]));
            r.push_back(sg4::LinkInRoute(leaf[b]));
            zone->add_route(hosts[a]->get_netpoint(), hosts[b]->get_netpoint(), nullptr, nullptr, r,
                            false);
        }
    zone->seal();
    finish.assign(flows.size(), -1);
    bool open = !flows.empty() && flows[0].start >= 0;
    if (open) /* one launcher: each flow its own actor, from its start time */
        sg4::Actor::create("launcher", hosts[0], []() {
            for (size_t i = 0; i < flows.size(); i++) {
                sg4::this_actor::sleep_until(flows[i].start);
                sg4::Actor::create("flow" + std::to_string(i), hosts[flows[i].src], [i]() {
                    sg4::Comm::sendto(hosts[flows[i].src], hosts[flows[i].dst], flows[i].bytes);
                    finish[i] = sg4::Engine::get_clock();
                });
            }
        });
    for (unsigned s = 0; !open && s < slots && s < flows.size(); s++)
        sg4::Actor::create("slot" + std::to_string(s), hosts[0], [s, slots]() {
            for (size_t i = s; i < flows.size(); i += slots) {
                sg4::Comm::sendto(hosts[flows[i].src], hosts[flows[i].dst], flows[i].bytes);
                finish[i] = sg4::Engine::get_clock();
            }
        });
    double t0 = cpu_now();
    e.run();
    double cpu = cpu_now() - t0;
    FILE* out = fopen(argv[3], "w");
    if (!out)
        return 1;
    for (size_t i = 0; i < flows.size(); i++)
        fprintf(out, "%zu,%.9f\n", i, finish[i]);
    fclose(out);
    printf("flows=%zu cpu_seconds=%.3f flows_per_cpu_second=%.0f\n", flows.size(), cpu,
           cpu > 0 ? flows.size() / cpu : 0.0);
    return 0;
}
