"""An independent SOAP client for socred's local NetServer.

python3-zeep reads the real WSDLs (shared/reference), builds its own
envelopes from them and talks to the NetServer at SITE: it logs in, saves
two records for another associate, lists them, removes one and lists again,
then prints one JSON object describing what it saw. Run by zeep_test.go:

    /usr/bin/python3 zeep_client.py REFERENCE_DIR SITE_URL USER PASSWORD
"""

import json
import sys
from datetime import datetime, timezone
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.transports import Transport

NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"


def service(ref, wsdl, binding, address):
    transport = Transport(timeout=10, operation_timeout=10)
    client = Client(f"{ref}/{wsdl}", settings=Settings(strict=True), transport=transport)
    return client, client.create_service(f"{{{NS}}}{binding}", address)


def main():
    ref, site, user, password = sys.argv[1:5]
    out = {}

    _, principal = service(ref, "Services88-SoPrincipal.WcfSoPrincipal-8.8.wsdl",
                           "BasicHttpBinding_SoPrincipal", site + "/Remote/Services88/SoPrincipal.svc")
    res = principal.AuthenticateUsernamePassword(UserName=user, Password=password)
    out["login"] = {
        "succeeded": res.header.Succeeded,
        "authenticated": res.body.AuthenticationSucceeded,
        "associateId": res.body.Response.AssociateId,
        "ticket": res.body.Credentials.Ticket,
    }
    ticket = res.body.Credentials.Ticket
    headers = {"Credentials": {"Ticket": ticket}}

    client, users = service(ref, "Services88-User.WcfUser-8.8.wsdl",
                            "BasicHttpBinding_User", site + "/Remote/Services88/User.svc")
    uc = client.get_type(f"{{{NS}}}UntrustedCredentials")
    # zeep writes an aware datetime as +00:00, which WCF would convert to the
    # server's local time and the local NetServer therefore refuses: send the
    # UTC "Z" form as text, as DESIGN.md §1 says a client must.
    frm = "2025-01-02T03:04:05Z"
    to = "2026-01-02T03:04:05Z"
    saves = []
    for public, secret in (("imap.example.com/zeep", "zeep & <secret>"), ("smtp.example.com/zeep", "second")):
        r = users.SaveUntrustedCredentialsForAssociate(
            AssociateId=3, Type="imap",
            Credentials=uc(ValidFrom=frm, ValidTo=to, Comment="saved by zeep",
                           SecretValue=secret, PublicValue=public, IsActive=True),
            _soapheaders=headers)
        saves.append(r.header.Succeeded)
    out["saves"] = saves

    def listed():
        r = users.GetUntrustedCredentialsForAssociate(AssociateId=3, Type="imap", _soapheaders=headers)
        items = r.body.Response.UntrustedCredentials if r.body.Response is not None else []
        return [{
            "publicValue": c.PublicValue, "secretValue": c.SecretValue, "comment": c.Comment,
            "validFrom": c.ValidFrom.isoformat(), "validTo": c.ValidTo.isoformat(), "isActive": c.IsActive,
        } for c in items]

    out["listed"] = listed()
    r = users.RemoveUntrustedCredentialsForAssociate(
        AssociateId=3, Type="imap", PublicValue="smtp.example.com/zeep", _soapheaders=headers)
    out["removed"] = r.header.Succeeded
    out["after"] = listed()

    # zeep's own form of an aware datetime (+00:00): refused with a fault that
    # names the element, where WCF would shift it to the server's local time.
    try:
        users.SaveUntrustedCredentialsForAssociate(
            AssociateId=3, Type="imap",
            Credentials=uc(ValidFrom=datetime(2025, 1, 2, tzinfo=timezone.utc),
                           ValidTo=to, PublicValue="offset", IsActive=True),
            _soapheaders=headers)
        out["offset"] = "accepted"
    except Fault as f:
        out["offset"] = f.message

    r = users.GetUntrustedCredentialsForAssociate(AssociateId=999, Type="imap", _soapheaders=headers)
    out["unknown"] = {"succeeded": r.header.Succeeded, "exceptionType": r.header.ExceptionInfo.ExceptionType}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
