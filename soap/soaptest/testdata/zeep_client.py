"""An independent SOAP client for socred's local NetServer.

python3-zeep reads the real WSDLs (shared/reference), builds its own
envelopes from them and talks to the NetServer at SITE: it logs in, saves
two records for another associate, lists them, removes one and lists again,
then prints one JSON object describing what it saw. Run by zeep_test.go:

    /usr/bin/python3 zeep_client.py REFERENCE_DIR SITE_URL USER PASSWORD
"""

import json
import sys
from datetime import datetime, timedelta, timezone
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.transports import Transport

NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"


def service(ref, wsdl, binding, address):
    transport = Transport(timeout=10, operation_timeout=10)
    client = Client(f"{ref}/{wsdl}", settings=Settings(strict=True), transport=transport)
    return client, client.create_service(f"{{{NS}}}{binding}", address)


def utc(d):
    """The instant d names, as ISO 8601 in UTC."""
    return d.astimezone(timezone.utc).isoformat()


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
    # Dates as text in socred's own form (UTC with Z); the aware datetimes
    # zeep writes with an offset are tried below.
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

    # Aware datetimes in several zones, as zeep writes them (+00:00, +02:00,
    # -05:30): each names one instant, which WCF keeps (converted to its own
    # local time) and gives back as the same instant. Saved for associate 4,
    # read back, and reported as UTC instants to compare.
    zones = {"utc": timezone.utc, "plus2": timezone(timedelta(hours=2)),
             "minus530": timezone(-timedelta(hours=5, minutes=30))}
    sent = {}
    for name, tz in zones.items():
        vf = datetime(2025, 6, 1, 12, 30, 15, tzinfo=tz)
        vt = datetime(2026, 6, 1, 12, 30, 15, tzinfo=tz)
        users.SaveUntrustedCredentialsForAssociate(
            AssociateId=4, Type="zones",
            Credentials=uc(ValidFrom=vf, ValidTo=vt, PublicValue=name, IsActive=True),
            _soapheaders=headers)
        sent[name] = {"validFrom": utc(vf), "validTo": utc(vt)}
    r = users.GetUntrustedCredentialsForAssociate(AssociateId=4, Type="zones", _soapheaders=headers)
    got = {c.PublicValue: {"validFrom": utc(c.ValidFrom), "validTo": utc(c.ValidTo)}
           for c in (r.body.Response.UntrustedCredentials if r.body.Response is not None else [])}
    out["zones"] = {"sent": sent, "got": got}

    # A naive datetime (no zone): WCF would read it as "unspecified", so the
    # local NetServer refuses it with a fault that names the element.
    try:
        users.SaveUntrustedCredentialsForAssociate(
            AssociateId=3, Type="imap",
            Credentials=uc(ValidFrom=datetime(2025, 1, 2), ValidTo=to, PublicValue="naive", IsActive=True),
            _soapheaders=headers)
        out["naive"] = "accepted"
    except Fault as f:
        out["naive"] = f.message

    r = users.GetUntrustedCredentialsForAssociate(AssociateId=999, Type="imap", _soapheaders=headers)
    out["unknown"] = {"succeeded": r.header.Succeeded, "exceptionType": r.header.ExceptionInfo.ExceptionType}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
