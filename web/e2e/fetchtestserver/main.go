// Command fetchtestserver is the native HTTP server the wasm package's fetch
// tests talk to: a browser test cannot listen, so `make test-wasm` starts
// this first. It serves, on 127.0.0.1:
//
//	/site/…     the local NetServer (netserver.Demo), with CORS for any origin
//	/nocors/…   the same NetServer without CORS headers, as real WCF
//	/fault/…    a SOAP 1.1 fault (HTTP 500)
//	/html500/…  an HTML error page (HTTP 500)
//	/slow/…     an answer that takes 20 s (for timeouts)
//	/big/…      an endless XML body (for the body cap)
//	/redirect/…          a 307 to /caught/… (with CORS, so a browser that
//	                     followed it would POST the envelope there)
//	/redirect-nocors/…   the same without CORS headers
//	/proxy-redirect/…    the 502 of socred's proxy refusing a redirect
//	/caught/…            counts the requests that reach it, and those that
//	                     carry a body or SOAPAction (with CORS);
//	/caught-count        says how many: {"requests": n, "envelopes": m}
//
// With -static DIR it also serves the page from DIR at / under the page's
// CSP, and /config.json pointing at /site, whose NetServer then sends no CORS
// headers (the page is same-origin); it prints the socred server's three
// start-up lines, so the end-to-end tests can run against it with
// SOCRED_E2E_SERVER=bin/fetchtestserver while the real server is not there.
//
// Run with a command, it sets SOCRED_FETCHTEST_URL (the server's base URL),
// SOCRED_FETCHTEST_USER and SOCRED_FETCHTEST_PASSWORD in the command's
// environment, runs it, and exits with its status once it ends. Without one,
// it prints the URL and serves until interrupted.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync/atomic"
	"time"

	"socred/netserver"
)

var static string

const (
	user     = "demo"
	password = "fetch-test-password"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback only); SOCRED_ADDR if set")
	flag.StringVar(&static, "static", "", "serve the page from this folder at /")
	flag.Parse()
	if a := os.Getenv("SOCRED_ADDR"); a != "" {
		*addr = a
	}
	if err := run(*addr, flag.Args()); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			os.Exit(ee.ExitCode())
		}
		log.Fatalf("fetchtestserver: %v", err)
	}
}

func run(addr string, command []string) error {
	h, err := handler()
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	base := "http://" + l.Addr().String()
	if len(command) == 0 {
		if static != "" {
			fmt.Printf("socred page:  %s/\nsocred site:  %s/site\nsocred login: %s / %s\n", base, base, user, password)
		} else {
			fmt.Println("fetchtestserver:", base)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		<-ctx.Done()
		return nil
	}
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(),
		"SOCRED_FETCHTEST_URL="+base,
		"SOCRED_FETCHTEST_USER="+user,
		"SOCRED_FETCHTEST_PASSWORD="+password)
	return cmd.Run()
}

func handler() (http.Handler, error) {
	ns, err := netserver.New(netserver.Demo(user, password))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	if static == "" {
		mux.Handle("/site/", allowAnyOrigin(ns))
	} else {
		mux.Handle("/site/", ns)
	}
	mux.Handle("/nocors/", ns)
	mux.Handle("/fault/", allowAnyOrigin(http.HandlerFunc(fault)))
	mux.Handle("/html500/", allowAnyOrigin(http.HandlerFunc(html500)))
	mux.Handle("/slow/", allowAnyOrigin(http.HandlerFunc(slow)))
	mux.Handle("/big/", allowAnyOrigin(http.HandlerFunc(big)))
	mux.Handle("/redirect/", allowAnyOrigin(http.HandlerFunc(redirect)))
	mux.Handle("/redirect-nocors/", http.HandlerFunc(redirect))
	mux.Handle("/proxy-redirect/", allowAnyOrigin(http.HandlerFunc(proxyRedirect)))
	var requests, envelopes atomic.Int64
	mux.Handle("/caught/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20)); len(body) > 0 || r.Header.Get("SOAPAction") != "" {
			envelopes.Add(1)
		}
		allowAnyOrigin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })).ServeHTTP(w, r)
	}))
	mux.Handle("/caught-count", allowAnyOrigin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"requests": %d, "envelopes": %d}`, requests.Load(), envelopes.Load())
	})))
	if static != "" {
		files := http.FileServer(http.Dir(static))
		mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", csp)
			files.ServeHTTP(w, r)
		}))
		mux.HandleFunc("/config.json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"endpoint":"http://%s/site"}`, r.Host)
		})
	}
	return mux, nil
}

// allowAnyOrigin answers CORS preflights for any origin (the browser test's
// origin has a random port) and marks the answers readable.
func allowAnyOrigin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "POST")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, SOAPAction")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// csp is the page's Content-Security-Policy, as the socred server sends it.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self' https: http://127.0.0.1:* http://localhost:* http://[::1]:*; frame-ancestors 'none'; " +
	"base-uri 'none'; form-action 'none'; object-src 'none'"

func fault(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>`+
		`<faultcode xmlns:a="http://schemas.microsoft.com/ws/2005/05/addressing/none">a:ActionNotSupported</faultcode>`+
		`<faultstring xml:lang="en-US">The message with Action '' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher.</faultstring>`+
		`</s:Fault></s:Body></s:Envelope>`)
}

func html500(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, "<!DOCTYPE html>\n<html><head><title>Runtime Error</title></head>\n<body><h1>Server Error in '/' Application.</h1><p>Runtime Error</p></body></html>\n")
}

func slow(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(20 * time.Second):
		w.WriteHeader(http.StatusNoContent)
	}
}

// redirect sends the call on to /caught/, as a NetServer (or anything in
// its place) that wanted the envelope elsewhere would.
func redirect(w http.ResponseWriter, r *http.Request) {
	_, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	http.Redirect(w, r, "/caught/"+rest, http.StatusTemporaryRedirect)
}

// proxyRedirect answers as socred's proxy does when NetServer redirects.
func proxyRedirect(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Socred-Redirect", "https://elsewhere.example.com/Cust12345/Remote/Services88/User.svc")
	w.Header().Set("Access-Control-Expose-Headers", "Socred-Redirect")
	http.Error(w, "socred proxy: NetServer answered with a redirect (HTTP 307)", http.StatusBadGateway)
}

func big(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write([]byte(`<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>`))
	chunk := []byte("<x>" + strings.Repeat("a", 1<<16) + "</x>")
	for i := 0; i < 1<<12; i++ { // at most 256 MiB, unless the client stops
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}
