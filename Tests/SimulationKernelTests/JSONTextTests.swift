import Testing
@testable import SimulationKernel

/// `JSONText.pretty` writes trace files: the layout they have always had, from the types'
/// `Codable` form, with no Foundation encoder involved.
@Suite("JSONText.pretty: our own writer for Codable documents")
struct JSONTextPrettyTests {
    enum Action: Codable { case stop, move(to: Int), rename(String?) }

    struct Document: Codable {
        var zeta = 1
        var alpha: [Int] = []
        var Upper = true
        var empty: [String: Int] = [:]
        var text = "a \"b\" \\ / é \t\u{1}"
        var nested = [[1, 2], []]
        var actions: [Action] = [.stop, .move(to: -3), .rename(nil)]
        var missing: Int? = nil
        var time = SimDuration.seconds(10)
    }

    @Test("keys sorted by byte order, two spaces a level, empty containers with a blank line")
    func layout() {
        let expected = """
            {
              "Upper" : true,
              "actions" : [
                {
                  "stop" : {

                  }
                },
                {
                  "move" : {
                    "to" : -3
                  }
                },
                {
                  "rename" : {

                  }
                }
              ],
              "alpha" : [

              ],
              "empty" : {

              },
              "nested" : [
                [
                  1,
                  2
                ],
                [

                ]
              ],
              "text" : "a \\"b\\" \\\\ / é \\t\\u0001",
              "time" : "10s",
              "zeta" : 1
            }
            """
        #expect(JSONText.pretty(Document()) == expected)
    }

    @Test("a value encoded twice under one key keeps the last, like a dictionary")
    func lastWins() {
        struct Twice: Encodable {
            enum K: CodingKey { case a }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode(1, forKey: .a)
                try c.encode("two", forKey: .a)
            }
        }
        #expect(JSONText.pretty(Twice()) == "{\n  \"a\" : \"two\"\n}")
    }
}
