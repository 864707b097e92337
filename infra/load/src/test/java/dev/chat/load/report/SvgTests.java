package dev.chat.load.report;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;

class SvgTests {

	@Test
	void aLineChartIsAWellFormedSvgDocument() throws Exception {
		String svg = Svg.lines("deliveries <by> rate & more", "msg/s", "deliveries/s",
				List.of(new Svg.Series("a", List.of(new double[] { 25, 25_000 }, new double[] { 50, 50_000 })),
						new Svg.Series("empty", List.of())));

		Document document = parse(svg);

		assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
		assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
		assertThat(document.getElementsByTagName("polyline").getLength()).isEqualTo(2);
	}

	@Test
	void aPercentilePlotIsWellFormedAlsoForAnEmptyHistogram() throws Exception {
		Histogram histogram = new Histogram(3);
		for (int i = 1; i <= 1000; i++) {
			histogram.recordValue(i);
		}

		Document document = parse(Svg.percentiles("latency", List.of("full", "empty"),
				List.of(histogram, new Histogram(3))));

		assertThat(document.getElementsByTagName("polyline").getLength()).isEqualTo(2);
		assertThat(document.getElementsByTagName("polyline").item(0).getAttributes().getNamedItem("points")
			.getNodeValue()).isNotBlank();
	}

	private static Document parse(String svg) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
	}

}
