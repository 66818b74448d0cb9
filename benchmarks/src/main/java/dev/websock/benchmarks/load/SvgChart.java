package dev.websock.benchmarks.load;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained SVG of grouped bar charts on a log10 axis, panels stacked and sharing the groups: one group per
 * label, one bar per series in the series' colour, a gap where a value is missing (NaN or not positive). No
 * scripts and no external fonts, so the file renders the same in a browser, in a repository viewer and in an
 * image converter; each bar carries a {@code <title>} with its exact value for viewers that show tooltips.
 *
 * <p>The width grows with the number of groups (at least {@link #MIN_BAR} px per bar) so that ~100 groups stay
 * legible; group labels are written vertically under each panel.
 */
final class SvgChart {

    /** One series of bars: its name in the legend and its fill colour. */
    record Series(String name, String colour) {}

    /**
     * One panel: its title, the unit named in the tooltips, and {@code values[series][group]}.
     */
    record Panel(String title, String unit, double[][] values) {}

    /** Readable on a ~1200 px wide page without scaling when there are few groups. */
    private static final double MIN_WIDTH = 1200;
    private static final double MIN_BAR = 8;
    /** Wider bars read as blocks, not bars, when there are only a few groups. */
    private static final double MAX_BAR = 28;
    private static final double GROUP_GAP = 8;
    private static final double LEFT = 64;
    private static final double RIGHT = 44;
    private static final double TITLE_BAND = 40;
    private static final double LEGEND_BAND = 28;
    private static final double PANEL_TITLE_BAND = 26;
    private static final double PLOT_HEIGHT = 300;
    private static final double LABEL_FONT = 11;
    /** An upper bound on the width of one character of {@link #LABEL_FONT} sans-serif, to size the label band. */
    private static final double LABEL_CHAR = 6.2;

    private final String title;
    private final List<String> groups;
    private final List<Series> series;
    private final double groupWidth;
    private final double barWidth;
    private final double labelBand;
    private final StringBuilder svg = new StringBuilder();

    SvgChart(String title, List<String> groups, List<Series> series) {
        this.title = title;
        this.groups = List.copyOf(groups);
        this.series = List.copyOf(series);
        int n = Math.max(1, groups.size());
        double minGroup = series.size() * MIN_BAR + GROUP_GAP;
        this.groupWidth = Math.max(minGroup, (MIN_WIDTH - LEFT - RIGHT) / n);
        this.barWidth = Math.min(MAX_BAR, (groupWidth - GROUP_GAP) / Math.max(1, series.size()));
        int longest = groups.stream().mapToInt(String::length).max().orElse(0);
        this.labelBand = longest * LABEL_CHAR + 16;
    }

    /** The whole SVG document, the panels stacked top to bottom in the order given. */
    String render(List<Panel> panels) {
        double width = LEFT + groupWidth * Math.max(1, groups.size()) + RIGHT;
        double panelHeight = PANEL_TITLE_BAND + PLOT_HEIGHT + labelBand;
        double height = TITLE_BAND + LEGEND_BAND + panelHeight * panels.size() + 8;
        svg.setLength(0);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height));
        svg.append(format("<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", width, height));
        svg.append(format("<text x=\"%.1f\" y=\"26\" font-size=\"18\" font-weight=\"bold\">%s</text>\n", LEFT,
                escape(title)));
        legend(TITLE_BAND + 14);
        double top = TITLE_BAND + LEGEND_BAND;
        for (Panel panel : panels) {
            panel(panel, top);
            top += panelHeight;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void legend(double y) {
        double x = LEFT;
        for (Series s : series) {
            svg.append(format("<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10,
                    escape(s.colour())));
            svg.append(format("<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 17, y, escape(s.name())));
            x += 17 + s.name().length() * 8 + 24;
        }
    }

    private void panel(Panel panel, double top) {
        svg.append(format("<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", LEFT,
                top + 17, escape(panel.title())));
        double plotTop = top + PANEL_TITLE_BAND;
        double plotBottom = plotTop + PLOT_HEIGHT;
        double plotRight = LEFT + groupWidth * groups.size();
        LogAxis axis = LogAxis.covering(panel.values());

        // Every other group shaded, down through its label, so a bar can be followed to its label across ~100 groups.
        for (int g = 1; g < groups.size(); g += 2) {
            svg.append(format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f2f2f2\"/>\n",
                    LEFT + g * groupWidth, plotTop, groupWidth, PLOT_HEIGHT + labelBand - 4));
        }
        for (int e = axis.lowExponent(); e <= axis.highExponent(); e++) {
            double y = axis.y(Math.pow(10, e), plotTop, plotBottom);
            svg.append(format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b0b0b0\" stroke-width=\"1\"/>",
                    LEFT, y, plotRight, y));
            // Labelled on both sides: a chart of ~100 groups is wider than a screen and is read scrolled.
            svg.append(format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4,
                    powerOfTen(e)));
            svg.append(format("<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", plotRight + 6, y + 4, powerOfTen(e)));
            if (e < axis.highExponent()) {
                // Faint lines at 2..9 × 10^e: without them a log axis cannot be read between its decades.
                for (int m = 2; m <= 9; m++) {
                    double minor = axis.y(m * Math.pow(10, e), plotTop, plotBottom);
                    svg.append(format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\" stroke-width=\"0.5\"/>",
                            LEFT, minor, plotRight, minor));
                }
                svg.append('\n');
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            double groupLeft = LEFT + g * groupWidth + (groupWidth - barWidth * series.size()) / 2;
            for (int s = 0; s < series.size(); s++) {
                double value = panel.values()[s][g];
                if (!(value > 0)) {
                    continue; // missing: a gap
                }
                double y = axis.y(value, plotTop, plotBottom);
                svg.append(format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%s, %s: %s %s</title></rect>\n", groupLeft + s * barWidth, y, barWidth,
                        plotBottom - y, escape(series.get(s).colour()), escape(series.get(s).name()),
                        escape(groups.get(g)), format("%,.1f", value), escape(panel.unit())));
            }
            // Rotated -90°: the text reads upwards and, anchored at its end, hangs down from the axis.
            double x = LEFT + (g + 0.5) * groupWidth + LABEL_FONT * 0.35;
            double y = plotBottom + 6;
            svg.append(format("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"end\""
                    + " transform=\"rotate(-90 %.1f %.1f)\">%s</text>\n", x, y, LABEL_FONT, x, y,
                    escape(groups.get(g))));
        }
        svg.append(format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\"/>", LEFT, plotTop,
                LEFT, plotBottom));
        svg.append(format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\"/>\n", LEFT,
                plotBottom, plotRight, plotBottom));
        if (axis.empty()) {
            svg.append(format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#666666\">no data</text>\n",
                    (LEFT + plotRight) / 2, (plotTop + plotBottom) / 2));
        }
    }

    /** A log10 axis from a power of ten below the smallest value to the one at or above the largest. */
    private record LogAxis(int lowExponent, int highExponent, boolean empty) {

        static LogAxis covering(double[][] values) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double[] row : values) {
                for (double v : row) {
                    if (v > 0 && v < Double.POSITIVE_INFINITY) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            if (max == 0) {
                return new LogAxis(0, 1, true);
            }
            // At least log10(2) below the smallest value, so that no bar is a sliver on the axis (10.1 on an axis
            // starting at 10 would be).
            int low = (int) Math.floor(Math.log10(min) - Math.log10(2));
            int high = (int) Math.ceil(Math.log10(max));
            return new LogAxis(low, Math.max(high, low + 1), false);
        }

        /** The y coordinate of {@code value}, clamped to the plot so an out-of-range value cannot leave it. */
        double y(double value, double plotTop, double plotBottom) {
            double share = (Math.log10(value) - lowExponent) / (highExponent - lowExponent);
            share = Math.max(0, Math.min(1, share));
            return plotBottom - share * (plotBottom - plotTop);
        }
    }

    /** 1, 10, 100, 1k … 100M, 1G; 0.1, 0.01 below one. */
    static String powerOfTen(int exponent) {
        if (exponent < 0) {
            return BigDecimal.ONE.scaleByPowerOfTen(exponent).toPlainString();
        }
        String[] suffixes = {"", "k", "M", "G", "T"};
        int group = Math.min(exponent / 3, suffixes.length - 1);
        return "1" + "0".repeat(exponent - group * 3) + suffixes[group];
    }

    /** Text and attribute values: the five characters XML gives a meaning. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
