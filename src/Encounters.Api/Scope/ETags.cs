using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Scope;

/// <summary>A resource that carries the version of its event stream.</summary>
public interface IVersioned
{
    long Version { get; }
}

/// <summary>Every response whose resource is versioned carries that version as its <c>ETag</c>.</summary>
public sealed class ETagPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var type = chain.ResourceType;
            if (type is null) continue;

            var method = typeof(IVersioned).IsAssignableFrom(type)
                ? typeof(ETags).GetMethod(nameof(ETags.Set))!.MakeGenericMethod(type)
                : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Created<>) &&
                  typeof(IVersioned).IsAssignableFrom(type.GetGenericArguments()[0])
                    ? typeof(ETags).GetMethod(nameof(ETags.SetCreated))!.MakeGenericMethod(type.GetGenericArguments()[0])
                    : null;

            if (method is not null) chain.Postprocessors.Add(new MethodCall(typeof(ETags), method));
        }
    }
}

public static class ETags
{
    public static void Set<T>(HttpResponse response, T? resource) where T : IVersioned
    {
        if (resource is not null) response.Headers.ETag = $"\"{resource.Version}\"";
    }

    public static void SetCreated<T>(HttpResponse response, Created<T> created) where T : IVersioned =>
        Set(response, created.Value);
}
