using System.Security.Cryptography;
using System.Text;

namespace Encounters;

/// <summary>
/// Ids that follow from what a stream or document is about (a facility's configuration, a task, a clinician's day, an
/// encounter's invoice): every node, request and rebuild derives the same id without a lookup. One scheme for all.
/// </summary>
public static class DerivedIds
{
    public static Guid Of(string about) => new(MD5.HashData(Encoding.UTF8.GetBytes(about)));
}
