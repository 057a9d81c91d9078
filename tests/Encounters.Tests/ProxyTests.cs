using System.Net;
using Alba;
using Shouldly;

namespace Encounters.Tests;

/// <summary>The client address recorded with every event is the client's, also behind a trusted proxy, and cannot be forged.</summary>
public class ProxyTests(AppFixture app) : ClinicTest(app)
{
    public const string TrustedProxy = "10.9.9.9";

    private async Task<string> ClientIpRecordedFor(string connectingFrom)
    {
        var result = await App.Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(connectingFrom));
            s.Post.Json(TestData.Patient()).ToUrl("/api/patients");
            s.WithRequestHeader("X-Tenant-ID", Tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithRequestHeader("X-Forwarded-For", "203.0.113.7");
            s.WithBearerToken(Caller.Token("rita", "receptionist", Tenant, ["clinic-1"]));
            s.StatusCodeShouldBe(201);
        });
        var patient = new Response(result).Id;
        await using var session = App.Store.LightweightSession(Tenant);
        var events = await session.Events.FetchStreamAsync(patient);
        return events.Single().Headers!["clientIp"].ToString()!;
    }

    [Fact]
    public async Task x_forwarded_for_from_a_configured_proxy_is_the_client_address_in_the_audit() =>
        (await ClientIpRecordedFor(TrustedProxy)).ShouldBe("203.0.113.7");

    [Fact]
    public async Task x_forwarded_for_from_anyone_else_is_ignored() =>
        (await ClientIpRecordedFor("198.51.100.20")).ShouldBe("198.51.100.20");
}
