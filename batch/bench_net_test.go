//go:build !js

package batch

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"socred/netserver"
	"socred/netserver/netservertest"
	"socred/soap"
)

// BenchmarkApply measures saves per second against the local NetServer
// over loopback HTTP, at concurrency 1, 4, 8 and 16: with no latency (the
// client's and the server's own cost), and with 20 ms per call (a
// NetServer across a network).
func BenchmarkApply(b *testing.B) {
	const rows = 200
	for _, latency := range []time.Duration{0, 20 * time.Millisecond} {
		for _, concurrency := range []int{1, 4, 8, 16} {
			b.Run("latency="+latency.String()+"/concurrency="+strconv.Itoa(concurrency), func(b *testing.B) {
				cfg := netserver.Demo("", netPassword)
				cfg.Latency = latency
				srv, err := netservertest.NewServer(cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer srv.Close()
				ticket, err := srv.NetServer.Ticket(netserver.DemoUser, netPassword)
				if err != nil {
					b.Fatal(err)
				}
				client := srv.Client()
				client.Transport.(*http.Transport).MaxIdleConnsPerHost = MaxConcurrency
				remote := NewRemote(httpSender(client, srv.SiteURL), ticket)
				data := benchFile(rows)
				opt := Options{Location: oslo(b)}
				users := newFake()
				for i := range 500 {
					users.users = append(users.users, &soap.User{AssociateID: int32(3 + i%3), UserName: "user" + strconv.Itoa(i)})
				}
				saves := 0
				for b.Loop() {
					b.StopTimer()
					f, _ := Read(data, opt)
					p, err := NewPlanner(users, Check(f, opt), PlanOptions{}).Run(context.Background())
					if err != nil || p.Count(ActionCreate) != rows {
						b.Fatalf("plan: %v", err)
					}
					b.StartTimer()
					r := NewRunner(remote, p, RunOptions{JobOptions: JobOptions{Concurrency: concurrency}})
					if err := r.Run(context.Background()); err != nil || r.Counts()[OutcomeCreated] != rows {
						b.Fatalf("run: %v %v", err, r.Counts())
					}
					saves += rows
				}
				b.ReportMetric(float64(saves)/b.Elapsed().Seconds(), "saves/s")
			})
		}
	}
}
