"""The resource graph, options and jobspec of Fluxion's Python binding
README (the seed document of issue 6), as that document writes them."""

import json

RGRAPH = json.dumps({
    "graph": {
        "nodes": [
            {
                "id": "0",
                "metadata": {
                    "type": "cluster", "basename": "tiny", "name": "tiny0", "id": 0,
                    "uniq_id": 0, "rank": -1, "exclusive": False, "size": 1,
                    "paths": {"containment": "/tiny0"}
                }
            },
            {
                "id": "1",
                "metadata": {
                    "type": "rack", "basename": "rack", "name": "rack0", "id": 0,
                    "uniq_id": 1, "rank": -1, "exclusive": False, "size": 1,
                    "paths": {"containment": "/tiny0/rack0"}
                }
            },
            {
                "id": "2",
                "metadata": {
                    "type": "node", "basename": "node", "name": "node0", "id": 0,
                    "uniq_id": 2, "rank": -1, "exclusive": False, "size": 1,
                    "paths": {"containment": "/tiny0/rack0/node0"}
                }
            },
            {
                "id": "3",
                "metadata": {
                    "type": "core", "basename": "core", "name": "core0", "id": 0,
                    "uniq_id": 3, "rank": -1, "exclusive": False, "size": 1,
                    "paths": {"containment": "/tiny0/rack0/node0/core0"}
                }
            }
        ],
        "edges": [
            {"source": "0", "target": "1", "metadata": {"subsystem": "containment"}},
            {"source": "1", "target": "2", "metadata": {"subsystem": "containment"}},
            {"source": "2", "target": "3", "metadata": {"subsystem": "containment"}}
        ]
    }
})

OPTIONS = json.dumps({
    "load_format": "jgf",
    "prune_filters": "ALL:core",
    "subsystems": "containment",
    "policy": "high"
})

JOBSPEC = json.dumps({
    "version": 9999,
    "resources": [
        {
            "type": "slot",
            "count": 1,
            "label": "default",
            "with": [
                {
                    "type": "core",
                    "count": 1
                }
            ]
        }
    ],
    "attributes": {
        "system": {
            "duration": 3600
        }
    },
    "tasks": [
        {
            "command": [
                "app"
            ],
            "slot": "default",
            "count": {
                "per_slot": 1
            }
        }
    ]
})


def cluster_jgf(nodes=2, cores=2):
    """A JGF cluster0 -> nodeN -> coreM where every vertex below a node
    carries the node's rank (what rank-based partial cancel needs)."""
    verts, edges = [], []

    def add(kind, name, ident, rank, path, parent):
        uid = len(verts)
        verts.append({"id": str(uid), "metadata": {
            "type": kind, "basename": kind if kind != "cluster" else "cluster",
            "name": name, "id": ident, "uniq_id": uid, "rank": rank,
            "exclusive": False, "size": 1, "paths": {"containment": path}}})
        if parent is not None:
            edges.append({"source": str(parent), "target": str(uid),
                          "metadata": {"subsystem": "containment"}})
        return uid

    root = add("cluster", "cluster0", 0, -1, "/cluster0", None)
    for n in range(nodes):
        npath = "/cluster0/node%d" % n
        nid = add("node", "node%d" % n, n, n, npath, root)
        for c in range(cores):
            add("core", "core%d" % c, c, n, "%s/core%d" % (npath, c), nid)
    return json.dumps({"graph": {"nodes": verts, "edges": edges}})


def node_jobspec(nodes=1, cores=1, duration=3600):
    """'nodes' nodes with a slot of 'cores' cores each."""
    return json.dumps({
        "version": 9999,
        "resources": [{"type": "node", "count": nodes, "with": [
            {"type": "slot", "count": 1, "label": "task",
             "with": [{"type": "core", "count": cores}]}]}],
        "attributes": {"system": {"duration": duration}},
        "tasks": [{"command": ["app"], "slot": "task", "count": {"per_slot": 1}}]})
