#!/usr/bin/python3
"""Build SOAP envelopes with zeep from NetServer's own WSDL files.

socred's interop test (soap/interop_test.go) runs this once for a whole table:

    /usr/bin/python3 zeep_envelope.py REFERENCE_DIR < cases.json > envelopes.json

The input is a JSON object {"cases": [...]}; each case is

    {"id": "...", "kind": "request" | "response",
     "service": "User" | "SoPrincipal", "soap": "1.1" | "1.2",
     "operation": "SaveUntrustedCredentialsForAssociate",
     "headers": {"ApplicationToken": "...", "Credentials": {"Ticket": "..."}},
     "body": {"AssociateId": 5, "Type": "imap", "Credentials": {...}}}

A date is written {"$dateTime": [year, month, day, hour, minute, second,
microsecond]} (UTC) and becomes a timezone-aware datetime, so zeep formats
it itself; {"$nil": true} becomes zeep.xsd.Nil, which zeep writes as an
element with xsi:nil="true". The output is {"results": [{"id", "xml", "http_headers"} or
{"id", "error"}]}, in input order.

Requests are built by zeep's binding for the operation's input message, as
client.create_message does (with the HTTP headers zeep would send); responses
by serialising the operation's output message. SOAP 1.2 has no binding in
NetServer's WSDL (only BasicHttpBinding, SOAP 1.1), so for "1.2" the same WSDL
is loaded with its binding rewritten from the wsdl/soap to the wsdl/soap12
extension, in a temporary folder that is removed on exit. The reference files
are never modified.
"""

import datetime
import json
import os
import sys
import tempfile

from lxml import etree
import zeep

WSDL = {
    "User": "Services88-User.WcfUser-8.8.wsdl",
    "SoPrincipal": "Services88-SoPrincipal.WcfSoPrincipal-8.8.wsdl",
}


def soap12_copy(path, tmp):
    """Write a copy of the WSDL whose binding uses the SOAP 1.2 extension."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    text = text.replace("<soap:", "<soap12:").replace("</soap:", "</soap12:")
    out = os.path.join(tmp, "soap12-" + os.path.basename(path))
    with open(out, "wb") as f:
        f.write(text.encode("utf-8"))
    return out


def decode(value):
    """Turn the JSON form of a value into what zeep expects."""
    if isinstance(value, dict):
        if set(value) == {"$dateTime"}:
            y, mo, d, h, mi, s, us = value["$dateTime"]
            return datetime.datetime(y, mo, d, h, mi, s, us, tzinfo=datetime.timezone.utc)
        if value == {"$nil": True}:
            return zeep.xsd.Nil
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def main():
    reference = sys.argv[1]
    cases = json.load(sys.stdin)["cases"]
    clients = {}
    results = []
    with tempfile.TemporaryDirectory(prefix="socred-zeep-") as tmp:

        def client(service, soap):
            key = (service, soap)
            if key not in clients:
                path = os.path.join(reference, WSDL[service])
                if soap == "1.2":
                    path = soap12_copy(path, tmp)
                clients[key] = zeep.Client(path)
            return clients[key]

        for case in cases:
            try:
                c = client(case["service"], case.get("soap", "1.1"))
                binding = c.service._binding
                op = case["operation"]
                body = decode(case.get("body") or {})
                headers = decode(case.get("headers") or {})
                kwargs = dict(body)
                if headers:
                    kwargs["_soapheaders"] = headers
                if case["kind"] == "request":
                    envelope, http_headers = binding._create(op, (), kwargs, client=c)
                else:
                    message = binding._operations[op].output
                    serialized = message.serialize(**kwargs)
                    envelope, http_headers = serialized.content, serialized.headers
                results.append({
                    "id": case["id"],
                    "xml": etree.tostring(envelope, encoding="utf-8", xml_declaration=True).decode("utf-8"),
                    "http_headers": {k: v for k, v in dict(http_headers).items()},
                })
            except Exception as e:  # reported per case; the Go test fails it
                results.append({"id": case["id"], "error": "%s: %s" % (type(e).__name__, e)})
    json.dump({"results": results}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
