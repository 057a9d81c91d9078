using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Encounters.Security;

/// <summary>
/// Behind a reverse proxy or load balancer, the client's address arrives in <c>X-Forwarded-For</c>; it is
/// believed only from the proxies named in <c>ForwardedHeaders:KnownProxies</c> (addresses) or
/// <c>ForwardedHeaders:KnownNetworks</c> (CIDR), so the audit records the client and a client cannot
/// forge its address. Nothing is trusted by default, not even loopback.
/// </summary>
public static class ProxyHeaders
{
    public static void AddProxyHeaders(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("ForwardedHeaders");
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? []) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? []) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            // One proxy hop by default; a chain of trusted proxies needs a higher limit.
            o.ForwardLimit = section.GetValue("ForwardLimit", 1);
        });
    }
}
