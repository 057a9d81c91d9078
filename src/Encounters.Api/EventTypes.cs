using JasperFx.Events.Projections;

namespace Encounters;

/// <summary>
/// The concrete event types behind a marker interface (<see cref="IVisitFact"/>, a module's event interface). The async daemon
/// filters a projection's events by type only when every type it is given is concrete: given an interface, it reads every
/// event of the store, joined to its stream, for every such projection (make bench, issue 21).
/// </summary>
public static class EventTypes
{
    public static IReadOnlyList<Type> Implementing<TMarker>() =>
        typeof(EventTypes).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(TMarker).IsAssignableFrom(t)).ToList();

    /// <summary>Has the daemon read only <typeparamref name="TMarker"/>'s events for this projection, named by their concrete types.</summary>
    public static void FilterOn<TMarker>(EventFilterable projection)
    {
        projection.IncludedEventTypes.RemoveAll(t => t.IsInterface || t.IsAbstract);
        foreach (var type in Implementing<TMarker>()) projection.IncludeType(type);
    }
}
