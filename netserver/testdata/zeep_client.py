"""An independent SOAP client for socred's local NetServer.

python3-zeep reads the real WSDLs (shared/reference), builds its own
envelopes from them and talks to the NetServer at SITE: it logs in, saves
two records for another associate, lists them, removes one and lists again,
looks users up (GetUser, GetUserFromName) as LOOKUPS says, and as GUEST
(who has the user's password and no right to read users), then prints one
JSON object describing what it saw. Run by zeep_test.go:

    /usr/bin/python3 zeep_client.py REFERENCE_DIR SITE_URL USER PASSWORD GUEST LOOKUPS

LOOKUPS is a JSON list of {"key": ..., "userId": N} or {"key": ...,
"userName": "..."}; each answer is reported under its key, the User as zeep
parsed it (strictly, from the WSDL) or null for a nil Response.
"""

import json
import sys
from datetime import datetime, timedelta, timezone
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.transports import Transport
from lxml import etree

NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def service(ref, wsdl, binding, address):
    transport = Transport(timeout=10, operation_timeout=10)
    client = Client(f"{ref}/{wsdl}", settings=Settings(strict=True), transport=transport)
    return client, client.create_service(f"{{{NS}}}{binding}", address)


def utc(d):
    """The instant d names, as ISO 8601 in UTC."""
    return d.astimezone(timezone.utc).isoformat()


def main():
    ref, site, user, password, guest, lookups = sys.argv[1:7]
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

    binding = users._binding

    def lookup(operation, **kwargs):
        """Call operation and return its parsed answer and whether the
        Response element was xsi:nil. zeep 4 parses an xsi:nil complex
        element as an object whose fields are all None, so the raw answer
        says which it was."""
        with client.settings(raw_response=True):
            raw = getattr(users, operation)(_soapheaders=headers, **kwargs)
        parsed = binding.process_reply(client, binding._operations[operation], raw)
        body = etree.fromstring(raw.content).find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
        response = body[0].find(f"{{{NS}}}Response")
        nil = response is not None and response.get(f"{{{XSI}}}nil") in ("true", "1")
        return parsed, response is None or nil

    def found(r, nil):
        """What the answer says of the User, every field socred reads."""
        u = r.body.Response
        if u is None or nil:
            return None
        p = u.Person
        return {
            "associateId": u.AssociateId, "name": u.Name, "userName": u.UserName,
            "fullName": p.FullName if p is not None else None,
            "firstName": p.Firstname if p is not None else None,
            "lastName": p.Lastname if p is not None else None,
            "email": p.Email if p is not None else None,
            "type": u.Type, "deleted": u.Deleted, "retired": u.IsPersonRetired,
        }

    looked = {}
    for q in json.loads(lookups):
        if "userId" in q:
            r, nil = lookup("GetUser", UserId=q["userId"])
        else:
            r, nil = lookup("GetUserFromName", UserName=q["userName"])
        looked[q["key"]] = {"succeeded": r.header.Succeeded, "nil": nil, "user": found(r, nil)}
    out["lookups"] = looked

    res = principal.AuthenticateUsernamePassword(UserName=guest, Password=password)
    r = users.GetUser(UserId=3, _soapheaders={"Credentials": {"Ticket": res.body.Credentials.Ticket}})
    out["guest"] = {"succeeded": r.header.Succeeded, "exceptionType": r.header.ExceptionInfo.ExceptionType,
                    "friendlyText": r.header.ExceptionInfo.FriendlyText}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
