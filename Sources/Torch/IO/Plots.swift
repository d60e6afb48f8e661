import Foundation

/// One named line of a plot. SwiftTorch only: PyTorch has no counterpart (plotting is matplotlib's
/// job in Python).
public struct PlotSeries: Sendable {
    /// The legend text.
    public var name: String
    /// The y values at x = 1, 2, ....
    public var values: [Double]
    /// An SVG colour.
    public var color: String

    /// A series with a colour.
    public init(_ name: String, _ values: [some ScalarConvertible], color: String = "#1f77b4") {
        let values = values.map(\.scalarValue.doubleValue)
        self.name = name
        self.values = values
        self.color = color
    }
}

/// An SVG line plot of training curves: axes with five ticks each, one polyline per series
/// and a legend. Plain text, readable in any browser. SwiftTorch only: PyTorch has no counterpart
/// (plotting is matplotlib's job in Python).
public func linePlotSVG(_ series: [PlotSeries], title: String, xLabel: String = "epoch", yLabel: String = "") -> String {
    let (w, h) = (640.0, 400.0), (left, right, top, bottom) = (70.0, 20.0, 40.0, 50.0)
    let all = series.flatMap(\.values).filter(\.isFinite)
    var low = all.min() ?? 0, high = all.max() ?? 1
    if high - low < 1e-12 { low -= 0.5; high += 0.5 }
    let count = max(2, series.map(\.values.count).max() ?? 2)
    func px(_ i: Int) -> Double { left + (w - left - right) * Double(i) / Double(count - 1) }
    func py(_ v: Double) -> Double { top + (h - top - bottom) * (1 - (v - low) / (high - low)) }
    func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
    func fmt(_ v: Double) -> String { String(format: abs(v) >= 100 ? "%.0f" : "%.3g", v) }
    var svg = """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif" font-size="12">
    <rect width="100%" height="100%" fill="white"/>
    <text x="\(w / 2)" y="22" text-anchor="middle" font-size="15">\(esc(title))</text>
    <line x1="\(left)" y1="\(h - bottom)" x2="\(w - right)" y2="\(h - bottom)" stroke="black"/>
    <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(h - bottom)" stroke="black"/>

    """
    for k in 0...4 {
        let v = low + (high - low) * Double(k) / 4
        svg += "<line x1=\"\(left - 4)\" y1=\"\(py(v))\" x2=\"\(w - right)\" y2=\"\(py(v))\" stroke=\"#ddd\"/>"
        svg += "<text x=\"\(left - 8)\" y=\"\(py(v) + 4)\" text-anchor=\"end\">\(fmt(v))</text>\n"
        let i = Int((Double(count - 1) * Double(k) / 4).rounded())
        svg += "<text x=\"\(px(i))\" y=\"\(h - bottom + 18)\" text-anchor=\"middle\">\(i + 1)</text>\n"
    }
    svg += "<text x=\"\((left + w - right) / 2)\" y=\"\(h - 10)\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
    svg += "<text x=\"16\" y=\"\((top + h - bottom) / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \((top + h - bottom) / 2))\">\(esc(yLabel))</text>\n"
    for (n, s) in series.enumerated() {
        let points = s.values.enumerated().filter { $0.element.isFinite }
            .map { "\(px($0.offset)),\(py($0.element))" }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
        let ly = top + 8 + 16 * Double(n)
        svg += "<line x1=\"\(w - right - 130)\" y1=\"\(ly)\" x2=\"\(w - right - 110)\" y2=\"\(ly)\" stroke=\"\(s.color)\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(w - right - 104)\" y=\"\(ly + 4)\">\(esc(s.name))</text>\n"
    }
    return svg + "</svg>\n"
}

/// Writes ``linePlotSVG(_:title:xLabel:yLabel:)`` to a file (atomically). SwiftTorch only: PyTorch
/// has no counterpart (plotting is matplotlib's job in Python).
public func saveLinePlot(_ series: [PlotSeries], title: String, xLabel: String = "epoch", yLabel: String = "",
                         to location: some FileLocation) throws {
    try writeFileAtomically(Data(linePlotSVG(series, title: title, xLabel: xLabel, yLabel: yLabel).utf8), to: location.fileURL)
}
