import sharp, { type Sharp } from 'sharp';
import type { ImageType } from './content-type';

/** A thumbnail fits in this square (CSS pixels of a retina chat bubble). */
export const THUMBNAIL_SIZE = 320;
export const THUMBNAIL_TYPE = 'image/webp';
/** Larger images (in pixels) are not decoded: a few KB of PNG can claim gigapixels. */
const MAX_PIXELS = 100_000_000;

export type ImageInfo = { width: number; height: number; animated: boolean };

/**
 * What is stored of an uploaded image, made with sharp from the upload's temporary file: the
 * original re-encoded in its own format and a WebP thumbnail, both turned upright (EXIF
 * orientation) and without metadata (sharp writes none unless asked: EXIF, GPS position, XMP
 * and comments go; only the colour profile is kept).
 */
export class ImageDerivatives {
  private constructor(
    private readonly path: string,
    private readonly type: ImageType,
    readonly info: ImageInfo,
  ) {}

  /** null when the file is no image sharp can decode (it is then kept as a plain file). */
  static async of(path: string, type: ImageType): Promise<ImageDerivatives | null> {
    try {
      const meta = await sharp(path, { limitInputPixels: MAX_PIXELS }).metadata();
      if (!meta.width || !meta.height) return null;
      const height = meta.pageHeight ?? meta.height;
      // orientations 5-8 turn the image a quarter: what is shown is the other way round
      const sideways = (meta.orientation ?? 1) >= 5;
      const animated = (meta.pages ?? 1) > 1;
      return new ImageDerivatives(path, type, { width: sideways ? height : meta.width, height: sideways ? meta.width : height, animated });
    } catch {
      return null;
    }
  }

  /** The original's bytes, as a stream (read from the temporary file while it is written out). */
  original(): Sharp {
    const image = this.upright(sharp(this.path, { animated: this.info.animated, limitInputPixels: MAX_PIXELS })).keepIccProfile();
    switch (this.type) {
      case 'image/png':
        return image.png();
      case 'image/jpeg':
        return image.jpeg({ quality: 90 });
      case 'image/webp':
        return image.webp({ quality: 90 });
      case 'image/gif':
        return image.gif();
    }
  }

  /** The first frame, at most THUMBNAIL_SIZE a side, as WebP. */
  thumbnail(): Sharp {
    return this.upright(sharp(this.path, { limitInputPixels: MAX_PIXELS }))
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 });
  }

  /** Applies the EXIF orientation (which goes with the metadata); frames of an animation stay as they are. */
  private upright(image: Sharp): Sharp {
    return this.info.animated ? image : image.rotate();
  }
}
