using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Encounters.Observability;

/// <summary>
/// The 409 codes an endpoint can answer, read from its compiled code: the code passed to each
/// <see cref="Problems.Conflict"/> call reachable from the endpoint's class (its Load, Validate and Post, the lambdas
/// and async state machines they compile to, and the service's own helpers they call). So the API reference lists what
/// the code does, and a new refusal appears in it without anyone writing it twice.
/// </summary>
public static partial class ConflictCodes
{
    private static readonly MethodInfo Conflict = typeof(Problems).GetMethod(nameof(Problems.Conflict))!;
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    [GeneratedRegex(@"\A[a-z_]+(\.[a-z_]+)+\z")]
    private static partial Regex CodeShape();

    public static SortedSet<string> Of(Type endpointClass)
    {
        var codes = new SortedSet<string>();
        var visited = new HashSet<MethodBase>();
        foreach (var method in endpointClass.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            Scan(method, codes, visited, depth: 0);
        return codes;
    }

    private static void Scan(MethodBase method, SortedSet<string> codes, HashSet<MethodBase> visited, int depth)
    {
        if (depth > 5 || !visited.Add(method) || method.Module.Assembly != typeof(Problems).Assembly) return;
        if (method.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType.GetMethod("MoveNext",
                BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is { } moveNext)
            Scan(moveNext, codes, visited, depth);
        if (method.GetMethodBody()?.GetILAsByteArray() is not { } il) return;

        string? lastCode = null;
        foreach (var (opCode, token) in Instructions(il))
        {
            if (opCode == OpCodes.Ldstr && Resolve(() => method.Module.ResolveString(token)) is { } text && CodeShape().IsMatch(text))
                lastCode = text;
            else if (opCode.OperandType == OperandType.InlineMethod && Resolve(() => method.Module.ResolveMethod(token,
                         method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null)) is { } callee)
            {
                // The code is the first argument, so the last code-shaped literal pushed before the call.
                if (callee == Conflict && lastCode is not null) codes.Add(lastCode);
                else Scan(callee, codes, visited, depth + 1);
            }
        }
    }

    /// <summary>Each instruction's opcode and its 4-byte token (0 for other operands).</summary>
    private static IEnumerable<(OpCode OpCode, int Token)> Instructions(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[++i]) : il[i];
            i++;
            if (!OpCodesByValue.TryGetValue(value, out var opCode)) yield break;
            var size = opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            yield return (opCode, size == 4 && opCode.OperandType != OperandType.InlineSwitch ? BitConverter.ToInt32(il, i) : 0);
            i += size;
        }
    }

    private static T? Resolve<T>(Func<T> resolve) where T : class
    {
        try { return resolve(); }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException) { return null; }
    }
}
