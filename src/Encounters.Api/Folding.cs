using System.Collections.Concurrent;
using System.Reflection;

namespace Encounters;

/// <summary>
/// A write model after events it has not yet seen, through its own <c>Apply</c> methods (the ones Marten folds it with),
/// so a command can answer with the state it leaves without reloading, and no aggregate repeats its dispatch.
/// </summary>
public static class Folding
{
    public static T After<T>(this T state, params object[] events) where T : class =>
        events.Aggregate(state, (current, e) => Appliers<T>.For(e.GetType())(current, e));

    private static class Appliers<T> where T : class
    {
        private static readonly ConcurrentDictionary<Type, Func<T, object, T>> ByEvent = new();

        /// <summary>The model's <c>Apply(TEvent)</c> returning the next state; an event it does not track leaves it as it is.</summary>
        public static Func<T, object, T> For(Type eventType) => ByEvent.GetOrAdd(eventType, type =>
            typeof(T).GetMethod("Apply", BindingFlags.Public | BindingFlags.Instance, [type]) is { } apply && apply.ReturnType == typeof(T)
                ? (state, e) => (T)apply.Invoke(state, [e])!
                : (state, _) => state);
    }
}
