package soap_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"socred/soap"
)

// Build a SaveUntrustedCredentialsForAssociate request and look at what goes
// on the wire.
func ExampleBuild() {
	env, err := soap.Build(soap.Request{
		Operation:   soap.SaveForAssociate,
		Ticket:      "7T:1234abcxyzExample==",
		AssociateID: 12,
		Type:        "imap",
		Credentials: soap.UntrustedCredentials{
			ValidFrom:   time.Date(2024, 3, 1, 8, 30, 0, 0, time.UTC),
			ValidTo:     time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC),
			SecretValue: "s3cret",
			PublicValue: "imap.example.com",
			IsActive:    true,
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range env.Headers() {
		fmt.Printf("%s: %s\n", h.Key, h.Value)
	}
	env.WriteTo(os.Stdout)
	// Output:
	// Content-Type: text/xml; charset=utf-8
	// SOAPAction: "http://www.superoffice.net/ws/crm/NetServer/Services88/User/SaveUntrustedCredentialsForAssociate"
	// <?xml version="1.0" encoding="utf-8"?>
	// <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="http://www.superoffice.net/ws/crm/NetServer/Services88">
	//   <soap:Header>
	//     <ns:Credentials>
	//       <ns:Ticket>7T:1234abcxyzExample==</ns:Ticket>
	//     </ns:Credentials>
	//   </soap:Header>
	//   <soap:Body>
	//     <ns:SaveUntrustedCredentialsForAssociate>
	//       <ns:AssociateId>12</ns:AssociateId>
	//       <ns:Type>imap</ns:Type>
	//       <ns:Credentials>
	//         <ns:ValidFrom>2024-03-01T08:30:00Z</ns:ValidFrom>
	//         <ns:ValidTo>2025-03-01T08:30:00Z</ns:ValidTo>
	//         <ns:Comment></ns:Comment>
	//         <ns:SecretValue>s3cret</ns:SecretValue>
	//         <ns:PublicValue>imap.example.com</ns:PublicValue>
	//         <ns:IsActive>true</ns:IsActive>
	//       </ns:Credentials>
	//     </ns:SaveUntrustedCredentialsForAssociate>
	//   </soap:Body>
	// </soap:Envelope>
}

// Every problem comes back at once, each naming its field.
func ExampleRequest_Validate() {
	r := soap.Request{
		Operation:   soap.SaveForAssociate,
		Ticket:      "7T:abc",
		AssociateID: -1,
		Credentials: soap.UntrustedCredentials{
			ValidFrom:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			ValidTo:     time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			SecretValue: "bell\a",
		},
	}
	var problems soap.ValidationErrors
	if errors.As(r.Validate(), &problems) {
		for _, p := range problems {
			fmt.Printf("%s: %s\n", p.Field, p.Reason)
		}
	}
	// Output:
	// AssociateId: must be a whole number from 0 to 2147483647
	// Type: is required
	// ValidTo: must not be before ValidFrom
	// SecretValue: contains the control character U+0007, which XML 1.0 cannot carry
}

// Classify turns what came back into a result or a typed error.
func ExampleClassify() {
	body := []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>` +
		`<faultcode xmlns:a="http://schemas.microsoft.com/ws/2005/05/addressing/none">a:ActionNotSupported</faultcode>` +
		`<faultstring>The message with Action '' cannot be processed at the receiver.</faultstring></s:Fault></s:Body></s:Envelope>`)
	_, err := soap.Classify(soap.GetForAssociate, 500, "text/xml; charset=utf-8", body)

	var fault *soap.Fault
	var exc *soap.ExceptionInfo
	var httpErr *soap.HTTPError
	switch {
	case errors.As(err, &fault):
		fmt.Println("fault:", fault.Code.Local, "-", fault.String)
	case errors.As(err, &exc):
		fmt.Println("NetServer says:", exc.Text())
	case errors.As(err, &httpErr):
		fmt.Println("HTTP", httpErr.Status, httpErr.Excerpt)
	}
	// Output:
	// fault: ActionNotSupported - The message with Action '' cannot be processed at the receiver.
}
