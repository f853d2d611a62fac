using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Tests.Maintenance.Search;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Compresor N°2", new[] { "compresor", "2" })]
    [InlineData("Línea 1 Llenado", new[] { "linea", "1", "llenado" })]
    [InlineData("BOMBA DE AGUA HELADA", new[] { "bomba", "agua", "helada" })]
    [InlineData("Grúa horquilla Nº3 (eléctrica)", new[] { "grua", "horquilla", "3", "electrica" })]
    [InlineData("Señalética / baño", new[] { "senaletica", "bano" })]
    [InlineData("OT-1496", new[] { "1496" })]
    public void Terms_are_lower_case_without_accents_or_stop_words(string text, string[] expected) =>
        Assert.Equal(expected, TextNormalizer.Terms(text));

    [Fact]
    public void Accented_and_unaccented_forms_give_the_same_terms() =>
        Assert.Equal(TextNormalizer.Terms("Compresión térmica"), TextNormalizer.Terms("COMPRESION termica"));
}
