using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Fractal.Functions.Tests.Infra;

/// <summary>
/// A compiled ARM template (the output of <c>bicep build</c>), read the way the tests need it: every resource
/// of every nested module deployment, and values resolved through the few expression shapes Bicep emits for
/// passed-through values (<c>[parameters('x')]</c>, <c>[variables('x')]</c>, <c>[union(...)]</c> of those).
/// Anything else (a real runtime expression) is returned as its text.
/// </summary>
internal sealed partial class ArmTemplate
{
    private ArmTemplate(JsonObject json, ArmTemplate? parent, JsonObject? parameterValues, string deploymentName)
    {
        Json = json;
        Parent = parent;
        ParameterValues = parameterValues;
        DeploymentName = deploymentName;
    }

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json)!.AsObject(), parent: null, parameterValues: null, deploymentName: "main");

    public JsonObject Json { get; }
    public ArmTemplate? Parent { get; }
    public JsonObject? ParameterValues { get; }
    public string DeploymentName { get; }

    public JsonObject Parameters => Json["parameters"]?.AsObject() ?? [];
    public JsonObject Outputs => Json["outputs"]?.AsObject() ?? [];

    /// <summary>This template's own resources (languageVersion 2.0 templates keep them in an object by symbolic name).</summary>
    public IEnumerable<ArmResource> OwnResources => Json["resources"] switch
    {
        JsonArray array => array.Select(r => new ArmResource(r!.AsObject(), this)),
        JsonObject map => map.Select(p => new ArmResource(p.Value!.AsObject(), this)),
        _ => [],
    };

    /// <summary>Every resource deployed here and in every nested module, depth first (not <c>existing</c> references).</summary>
    public IEnumerable<ArmResource> AllResources =>
        OwnResources.Where(r => r.Json["existing"]?.GetValue<bool>() != true).SelectMany(r => r.Type == "Microsoft.Resources/deployments"
            ? r.NestedTemplate.AllResources.Prepend(r)
            : [r]);

    public IEnumerable<ArmResource> ResourcesOfType(string type) =>
        AllResources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public ArmResource Single(string type)
    {
        var found = ResourcesOfType(type).ToList();
        Assert.True(found.Count == 1, $"Expected exactly one {type}, found {found.Count}.");
        return found[0];
    }

    internal ArmTemplate Nested(JsonObject template, JsonObject? parameterValues, string name) => new(template, this, parameterValues, name);

    /// <summary>Follows parameter and variable references to the value they stand for, across module boundaries.</summary>
    public JsonNode? Resolve(JsonNode? value)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var text)) return value;

        if (ParametersRef().Match(text) is { Success: true } p) return ResolveParameter(p.Groups[1].Value);
        if (VariablesRef().Match(text) is { Success: true } x) return Resolve(Json["variables"]?[x.Groups[1].Value]);
        if (UnionOf().Match(text) is { Success: true } u)
        {
            var merged = new JsonObject();
            foreach (var argument in SplitArguments(u.Groups[1].Value))
            {
                if (Resolve(JsonValue.Create($"[{argument}]")) is not JsonObject part) return value; // not statically known
                foreach (var (key, item) in part) merged[key] = item?.DeepClone();
            }
            return merged;
        }
        return value;
    }

    /// <summary>Resolves and returns the text of a string value (or the expression text when it is not static).</summary>
    public string? ResolveString(JsonNode? value) => Resolve(value) switch
    {
        JsonValue s when s.TryGetValue<string>(out var text) => text,
        null => null,
        var other => other.ToJsonString(),
    };

    private JsonNode? ResolveParameter(string name)
    {
        // A value passed in by the parent module: { "value": ... } or, for a conditional value, one expression.
        if (ParameterValues?[name] is { } passed && Parent is not null)
            return Parent.Resolve(passed is JsonObject o && o.ContainsKey("value") ? o["value"] : passed);
        return Resolve(Parameters[name]?["defaultValue"]);
    }

    private static IEnumerable<string> SplitArguments(string arguments)
    {
        int depth = 0, start = 0;
        var inQuote = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            var c = arguments[i];
            if (c == '\'') inQuote = !inQuote;
            else if (inQuote) continue;
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0)
            {
                yield return arguments[start..i].Trim();
                start = i + 1;
            }
        }
        yield return arguments[start..].Trim();
    }

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParametersRef();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariablesRef();

    [GeneratedRegex(@"^\[union\((.*)\)\]$")]
    private static partial Regex UnionOf();
}

/// <summary>One resource of a compiled template, with the (module) template it belongs to.</summary>
internal sealed class ArmResource(JsonObject json, ArmTemplate template)
{
    public JsonObject Json { get; } = json;
    public ArmTemplate Template { get; } = template;
    public string Type => (string)Json["type"]!;
    public JsonObject Properties => Json["properties"]?.AsObject() ?? [];

    /// <summary>The value at a dotted path under the resource (e.g. "properties.siteConfig.minTlsVersion"), resolved.</summary>
    public JsonNode? At(string path)
    {
        JsonNode? node = Json;
        foreach (var part in path.Split('.')) node = Template.Resolve(node?[part]);
        return node;
    }

    public string? StringAt(string path) => Template.ResolveString(At(path));

    /// <summary>The template of a module deployment, with the parameter values this deployment passes to it.</summary>
    public ArmTemplate NestedTemplate =>
        Template.Nested(Properties["template"]!.AsObject(), Properties["parameters"]?.AsObject(), (string)Json["name"]!);
}
