using System.Reflection;
using System.Reflection.Emit;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// Modules depend one way. A module is a namespace under <c>Encounters</c> (a folder of the web project); every type
/// it uses from another module, in signatures or in method bodies (read from the IL), must be allowed below.
/// </summary>
public class ArchitectureTests
{
    /// <summary>The shared places every module may use: vocabulary, cross-module contracts and the cross-cutting policies.</summary>
    private static readonly string[] Shared = ["", "Contracts", "Scope", "Requests", "Security", "Observability", "Internal"];

    /// <summary>Each module and the modules whose internals it may use. The test also proves this table has no cycle.</summary>
    public static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Patients"] = [],
        ["Encounters"] = ["Patients"],
        ["Lab"] = ["Encounters", "Patients"],
        ["Medications"] = ["Encounters", "Patients"],
        ["Imaging"] = ["Encounters", "Lab", "Patients"],
        ["Scheduling"] = ["Encounters", "Patients"],
        ["Billing"] = ["Encounters", "Lab", "Scheduling"],
        // The chart composes views other modules own, so they need not read each other.
        ["Chart"] = ["Encounters", "Lab"],
        // Read-side modules: views over every module's events; nothing depends on them.
        ["Audit"] = ["Encounters", "Imaging", "Lab", "Medications", "Patients"],
        ["Tasks"] = ["Encounters", "Imaging", "Lab", "Medications", "Patients"],
        ["Timeline"] = ["Encounters"],
        // The FHIR API is an outer adapter: it reads every module's streams and read models; nothing depends on it.
        ["Fhir"] = ["Patients", "Encounters", "Lab", "Medications", "Scheduling", "Imaging", "Billing", "Tasks", "Audit"],
    };

    /// <summary>The composition root wires every module in.</summary>
    private static readonly Type[] CompositionRoot = [typeof(Program), typeof(Persistence)];

    [Fact]
    public void no_module_uses_another_modules_internals_beyond_its_declared_one_way_dependencies()
    {
        var offences = References(typeof(Program).Assembly)
            .Where(r => r.From != r.To && !Shared.Contains(r.To) && !MayUse.GetValueOrDefault(r.From, []).Contains(r.To))
            .Select(r => $"{r.From} → {r.To}: {r.Type} uses {r.Used}")
            .Distinct().Order().ToList();
        offences.ShouldBeEmpty();
    }

    [Fact]
    public void the_declared_dependencies_point_one_way()
    {
        foreach (var module in MayUse.Keys)
            Reachable(module).ShouldNotContain(module, $"{module} reaches itself through its dependencies");
        MayUse.Keys.Intersect(Shared).ShouldBeEmpty();
    }

    [Fact]
    public void every_folder_of_the_service_is_a_declared_module_or_shared()
    {
        var modules = typeof(Program).Assembly.GetTypes().Select(t => ModuleOf(t)).OfType<string>().Distinct();
        modules.Where(m => !MayUse.ContainsKey(m) && !Shared.Contains(m)).ShouldBeEmpty();
    }

    private static HashSet<string> Reachable(string module)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>(MayUse[module]);
        while (todo.TryPop(out var next))
            if (seen.Add(next)) foreach (var dep in MayUse.GetValueOrDefault(next, [])) todo.Push(dep);
        return seen;
    }

    private static string? ModuleOf(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || type.Assembly != typeof(Program).Assembly) return null;
        if (ns == "Encounters") return "";
        return ns.StartsWith("Encounters.") ? ns["Encounters.".Length..].Split('.')[0] : null;
    }

    private record Reference(string From, string To, string Type, string Used);

    private static IEnumerable<Reference> References(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (ModuleOf(type) is not { } from || CompositionRoot.Any(root => type == root || type.DeclaringType == root)) continue;
            foreach (var used in TypesUsedBy(type).SelectMany(Unwrap).Distinct())
                if (ModuleOf(used) is { } to)
                    yield return new Reference(from, to, type.FullName!, used.FullName ?? used.Name);
        }
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType) return Unwrap(type.GetElementType()!);
        if (!type.IsGenericType || type.IsGenericTypeDefinition) return [type];
        return type.GetGenericArguments().SelectMany(Unwrap).Prepend(type.GetGenericTypeDefinition());
    }

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                            BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        var used = new List<Type>();
        if (type.BaseType is { } baseType) used.Add(baseType);
        used.AddRange(type.GetInterfaces());
        used.AddRange(type.GetCustomAttributes(false).Select(a => a.GetType()));
        used.AddRange(type.GetFields(Everything).Select(f => f.FieldType));
        used.AddRange(type.GetProperties(Everything).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            used.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info) used.Add(info.ReturnType);
            used.AddRange(method.GetCustomAttributes(false).Select(a => a.GetType()));
            used.AddRange(BodyReferences(method));
        }
        return used;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types, fields and methods a method body names, read from its IL.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, at);
                MemberInfo? member = null;
                try { member = method.Module.ResolveMember(token, typeArgs, methodArgs); } catch (ArgumentException) { }
                if (member is Type t) yield return t;
                else if (member?.DeclaringType is { } declaring) yield return declaring;
                if (member is FieldInfo field) yield return field.FieldType;
                if (member is MethodInfo called) yield return called.ReturnType;
            }
            at += Operand(code, il, at);
        }
    }

    private static int Operand(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
