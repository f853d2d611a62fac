using System.Security.Cryptography;
using System.Text;

namespace Fractal.Functions.Storage;

/// <summary>SHA-256 of a string's UTF-8 bytes as lower-case hex: the form every stored hash and hashed key takes.</summary>
public static class Sha256Hex
{
    public static string Of(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
