package dev.chirp.sessions.demo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the demo shop sells: a fixed list, so that the cart (in the session) holds only product names. */
final class Catalog {

    /** One product; {@code cents} is the price in euro cents. */
    record Product(String name, String description, int cents, String colour) {

        String price() {
            return Catalog.price(cents);
        }
    }

    static final List<Product> PRODUCTS = List.of(
            new Product("Sencha", "Grassy, bright Japanese green tea. 100 g loose leaf.", 850, "#3f9142"),
            new Product("Assam breakfast", "Malty black tea that takes milk well. 125 g.", 690, "#8d4b2a"),
            new Product("Earl Grey", "Black tea with bergamot oil. 100 g.", 720, "#4c5c96"),
            new Product("Stoneware mug", "Hand-glazed, 350 ml, dishwasher safe.", 1400, "#7b8794"),
            new Product("Bamboo whisk", "For matcha: 100 prongs, one piece of bamboo.", 1100, "#c99a2e"),
            new Product("Tea tin", "Airtight, holds 100 g, keeps the light out.", 550, "#1f2933"));

    private Catalog() {
    }

    /** The product of that name, if the shop sells it (a cart may also hold free-text items). */
    static Optional<Product> find(String name) {
        return PRODUCTS.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Cents as a price, such as {@code €8.50}. */
    static String price(int cents) {
        return String.format(Locale.ROOT, "€%d.%02d", cents / 100, cents % 100);
    }
}
