"""Reads stored credentials back through an independent SOAP stack.

python3-zeep builds its envelopes from the real WSDLs (shared/reference),
logs in to the NetServer at SITE and lists the records of each
"associate/type" given, printing one JSON object: {"associate/type":
[records]}. The batch end-to-end test compares them with the file it
imported. Run by batch_test.go:

    /usr/bin/python3 zeep_readback.py REFERENCE_DIR SITE_URL USER PASSWORD 3/imap 4/smtp ...
"""

import json
import sys
from datetime import timezone
from zeep import Client, Settings
from zeep.exceptions import TransportError
from zeep.transports import Transport

NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"


def service(ref, wsdl, binding, address):
    transport = Transport(timeout=10, operation_timeout=10)
    client = Client(f"{ref}/{wsdl}", settings=Settings(strict=True), transport=transport)
    return client.create_service(f"{{{NS}}}{binding}", address)


def patiently(call):
    """call(), repeated while the server answers HTTP 503: the batch test's
    NetServer fails a share of its calls on purpose (-fail-rate)."""
    for _ in range(20):
        try:
            return call()
        except TransportError as e:
            if e.status_code != 503:
                raise
    return call()


def utc(d):
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ref, site, user, password = sys.argv[1:5]
    principal = service(ref, "Services88-SoPrincipal.WcfSoPrincipal-8.8.wsdl",
                        "BasicHttpBinding_SoPrincipal", site + "/Remote/Services88/SoPrincipal.svc")
    res = patiently(lambda: principal.AuthenticateUsernamePassword(UserName=user, Password=password))
    headers = {"Credentials": {"Ticket": res.body.Credentials.Ticket}}
    users = service(ref, "Services88-User.WcfUser-8.8.wsdl",
                    "BasicHttpBinding_User", site + "/Remote/Services88/User.svc")
    out = {}
    for key in sys.argv[5:]:
        associate, typ = key.split("/", 1)
        r = patiently(lambda: users.GetUntrustedCredentialsForAssociate(AssociateId=int(associate), Type=typ, _soapheaders=headers))
        items = r.body.Response.UntrustedCredentials if r.body.Response is not None else []
        out[key] = [{
            "publicValue": c.PublicValue or "", "secretValue": c.SecretValue or "", "comment": c.Comment or "",
            "validFrom": utc(c.ValidFrom), "validTo": utc(c.ValidTo), "isActive": bool(c.IsActive),
        } for c in items]
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
