#!/usr/bin/python3
"""Time zeep building the Save envelope that socred's bench builds.

make bench (web/e2e/bench_test.go) runs, with Debian's python3-zeep:

    /usr/bin/python3 zeep_bench.py REFERENCE_DIR [RUNS] > timing.json

The client is made once from NetServer's own WSDL; each timed run is
client.create_message (zeep's binding builds the whole envelope, headers
included) and lxml's tostring, the same request socred.buildEnvelope gets
in the bench. RUNS (default 1000) runs are timed after as many untimed ones;
the output is {"runs", "median_us", "p90_us", "bytes"}.
"""

import datetime
import json
import os
import sys
import time

from lxml import etree
import zeep


def main():
    reference = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    client = zeep.Client(os.path.join(reference, "Services88-User.WcfUser-8.8.wsdl"))
    utc = datetime.timezone.utc
    body = {
        "AssociateId": 2,
        "Type": "imap",
        "Credentials": {
            "ValidFrom": datetime.datetime(2025, 1, 1, tzinfo=utc),
            "ValidTo": datetime.datetime(2026, 1, 1, tzinfo=utc),
            "Comment": "bench",
            "SecretValue": "s",
            "PublicValue": "p",
            "IsActive": True,
        },
    }
    headers = {"ApplicationToken": "app-token", "Credentials": {"Ticket": "7T:x"}}

    def build():
        envelope = client.create_message(
            client.service, "SaveUntrustedCredentialsForAssociate", _soapheaders=headers, **body)
        return etree.tostring(envelope, encoding="utf-8", xml_declaration=True)

    for _ in range(runs):
        build()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        xml = build()
        times.append((time.perf_counter() - t0) * 1e6)
    times.sort()
    json.dump({"runs": runs, "median_us": times[len(times) // 2], "p90_us": times[len(times) * 9 // 10],
               "bytes": len(xml)}, sys.stdout)


if __name__ == "__main__":
    main()
