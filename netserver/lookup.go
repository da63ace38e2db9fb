package netserver

import (
	"strconv"
	"time"

	"socred/soap"
)

// lookUp answers GetUser and GetUserFromName: the whole User carrier, or a
// nil Response for an id or user name nobody has, as NetServer's agents
// answer for a missing entity. Every user may read users but one without
// the right (User.CannotReadUsers); MarkupAssociateID is locked, as for
// every operation.
func (s *NetServer) lookUp(u *User, r *soap.Request) answer {
	if u.CannotReadUsers {
		return fail(exception(TypeAccessDenied, "Access denied: "+u.Name+" may not read users",
			"You do not have the right to read users."))
	}
	var a Associate
	var ok bool
	if r.Operation == soap.GetUser {
		a, ok = s.dir.associates[int32(r.AssociateID)]
	} else {
		a, ok = s.dir.byUserName(r.UserName)
	}
	switch {
	case !ok:
		return answer{body: func(b *xmlBuilder) { b.raw(`<Response i:nil="true"/>`) }}
	case a.ID == MarkupAssociateID:
		return fail(exception(TypeLockedAssociate, "Associate 666 is locked", MarkupFriendlyText, param("AssociateId", a.ID)))
	}
	admin := s.dir.administrator(a.ID)
	last := s.dir.lastLoginOf(a.ID)
	return answer{body: func(b *xmlBuilder) { writeUser(b, "Response", &a, admin, last) }}
}

// demoCountry is the demo company's country (Norway) as NetServer's
// CountryId.
const demoCountry = "578"

// writeUser writes a User carrier named name: every element of the schema's
// User and Person, in schema order (WCF's serializer writes them all), with
// plausible values and xsi:nil where NetServer sends null. admin picks the
// role; lastLogin is zero when the associate never logged in here, which
// NetServer writes as DateTime.MinValue.
func writeUser(b *xmlBuilder, name string, a *Associate, admin bool, lastLogin time.Time) {
	leaf := func(name, text string) {
		if text == "" {
			b.raw(`<` + name + `/>`)
			return
		}
		b.raw(`<` + name + `>`)
		b.text(text)
		b.raw(`</` + name + `>`)
	}
	null := func(names ...string) {
		for _, n := range names {
			b.raw(`<` + n + ` i:nil="true"/>`)
		}
	}
	id := strconv.Itoa(int(a.ID))
	typ := a.Type
	if typ == "" {
		typ = InternalAssociate
	}
	fullName := a.FullName
	if fullName == "" {
		fullName = a.FirstName + " " + a.LastName
	}
	roleID, role := "2", "User"
	if admin {
		roleID, role = "1", "Administrator"
	}

	b.raw(`<` + name + `>`)
	null("TableRight", "FieldProperties")
	leaf("AssociateId", id)
	leaf("Name", a.Name)
	leaf("Rank", id)
	leaf("Tooltip", fullName)
	b.raw(`<LicenseOwners><LicenseOwner>`)
	null("TableRight", "FieldProperties")
	leaf("Name", "SuperOffice")
	leaf("Description", "SuperOffice CRM")
	null("RestrictedModuleLicenses", "UnrestrictedModuleLicenses")
	b.raw(`</LicenseOwner></LicenseOwners><Role>`)
	null("TableRight", "FieldProperties")
	leaf("Id", roleID)
	leaf("Value", role)
	leaf("Tooltip", "")
	b.raw(`</Role><UserGroup>`)
	null("TableRight", "FieldProperties")
	leaf("Value", "Demo")
	leaf("Tooltip", "")
	leaf("Id", "1")
	leaf("Rank", "1")
	leaf("Deleted", "false")
	b.raw(`</UserGroup><OtherGroups/><Person>`)
	null("TableRight", "FieldProperties")
	leaf("Position", "")
	leaf("PersonId", strconv.Itoa(100+int(a.ID)))
	leaf("Mrmrs", "")
	leaf("Firstname", a.FirstName)
	leaf("Lastname", a.LastName)
	leaf("MiddleName", "")
	leaf("Title", "")
	leaf("Description", "")
	leaf("Email", a.Email)
	leaf("FullName", fullName)
	leaf("DirectPhone", "")
	leaf("FormalName", fullName)
	leaf("CountryId", demoCountry)
	leaf("ContactId", "1")
	leaf("ContactName", "socred demo")
	retired := "0" // Person.Retired is an xs:short
	if a.Retired {
		retired = "1"
	}
	leaf("Retired", retired)
	leaf("Rank", "1")
	leaf("ActiveInterests", "0")
	leaf("ContactDepartment", "")
	leaf("ContactCountryId", demoCountry)
	for _, n := range []string{"ContactOrgNr", "FaxPhone", "MobilePhone", "ContactPhone"} {
		leaf(n, "")
	}
	leaf("AssociateName", a.Name)
	leaf("AssociateId", id)
	leaf("UsePersonAddress", "false")
	for _, n := range []string{"ContactFax", "Kanafname", "Kanalname", "Post1", "Post2", "Post3"} {
		leaf(n, "")
	}
	leaf("EmailName", fullName)
	leaf("ContactFullName", "socred demo")
	for _, n := range []string{"ActiveErpLinks", "TicketPriorityId", "SupportLanguageId", "SupportAssociateId"} {
		leaf(n, "0")
	}
	leaf("CategoryName", "")
	b.raw(`</Person>`)
	leaf("Deleted", strconv.FormatBool(a.Deleted))
	leaf("Lastlogin", soap.FormatDateTime(lastLogin))
	leaf("Lastlogout", soap.FormatDateTime(time.Time{}))
	leaf("EjUserId", "0")
	null("RequestSignature")
	leaf("Type", typ)
	leaf("IsPersonRetired", strconv.FormatBool(a.Retired))
	leaf("IsOnTravel", "false")
	b.raw(`<Credentials/>`)
	leaf("UserName", a.UserName)
	b.raw(`<TicketCategories/>`)
	null("NickName")
	leaf("WaitingForApproval", "false")
	null("ExtraFields", "CustomFields", "PostSaveCommands")
	b.raw(`</` + name + `>`)
}
